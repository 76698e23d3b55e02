package acctest

import (
	"time"

	"github.com/dts-provider/terraform-provider-dts/internal/fakedts"
)

// OneWayJob is a running one-way job in Region.
func OneWayJob(id, payType string) fakedts.Job {
	return fakedts.Job{
		ID:          id,
		Name:        "orders-" + id,
		Region:      Region,
		PayType:     payType,
		Source:      fakedts.Endpoint{InstanceID: "rm-src" + id, InstanceType: "RDS", EngineName: "MySQL", IP: "172.16.88.10", Port: 3306, UserName: "dtstest"},
		Destination: fakedts.Endpoint{InstanceID: "rm-dst" + id, InstanceType: "RDS", EngineName: "MySQL", IP: "172.16.88.11", Port: 3306, UserName: "dtstest"},
		Forward:     fakedts.DirectionState{Status: "Synchronizing", Checkpoint: time.Now().Add(-time.Minute).Unix()},
	}
}

// TwoWayJob is a running two-way job in Region.
func TwoWayJob(id, payType string) fakedts.Job {
	j := OneWayJob(id, payType)
	j.TwoWay = true
	j.Reverse = fakedts.DirectionState{Status: "Synchronizing", Checkpoint: time.Now().Add(-time.Minute).Unix()}
	return j
}

// WithForward sets the forward direction's status.
func WithForward(j fakedts.Job, status string) fakedts.Job {
	j.Forward.Status = status
	return j
}
