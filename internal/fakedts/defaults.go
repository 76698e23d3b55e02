package fakedts

import "time"

// IDs of the jobs DefaultJobs returns.
const (
	// DefaultOrdersJobID: one-way, PostPaid, Synchronizing, cn-hangzhou.
	DefaultOrdersJobID = "dtsl3m1213ye7l0001"
	// DefaultUsersJobID: one-way, PrePaid, Synchronizing, cn-hangzhou.
	DefaultUsersJobID = "dtsmr1q4mc21520002"
	// DefaultInventoryJobID: two-way, PostPaid, both directions Synchronizing, cn-hangzhou.
	DefaultInventoryJobID = "dtsexjk1alb1160003"
	// DefaultPaymentsJobID: one-way, PostPaid, NotStarted, cn-hangzhou.
	DefaultPaymentsJobID = "dtskfq1149w2540004"
	// DefaultArchiveJobID: one-way, PrePaid, Suspending (paused when added), cn-beijing.
	DefaultArchiveJobID = "dtsa7b3c9d2e1f0005"
)

func mysql(instance, ip string) Endpoint {
	return Endpoint{InstanceID: instance, InstanceType: "RDS", EngineName: "MySQL", IP: ip, Port: 3306, UserName: "dtstest"}
}

// DefaultJobs is the documented default job set (README.md lists it). Its
// transition times are zero, so transitions are visible at once.
func DefaultJobs() []Job {
	return []Job{
		{
			ID: DefaultOrdersJobID, Name: "orders-sync", Class: "medium", Region: "cn-hangzhou",
			PayType: PayTypePostPaid, CreateTime: time.Date(2024, 4, 30, 8, 1, 19, 0, time.UTC),
			Source:      mysql("rm-bp1i99e8l7913a001", "172.16.88.10"),
			Destination: mysql("rm-bp162d4tp0500a001", "172.16.88.20"),
			Tags:        []Tag{{"env", "test"}, {"team", "orders"}},
			Objects:     []SyncObject{{SchemaName: "shop", Tables: []string{"orders", "order_items"}}},
			Forward:     DirectionState{Status: StatusSynchronizing},
			// Initialization flags as most sync jobs are configured.
			StructureInitialization: true, DataInitialization: true,
		},
		{
			ID: DefaultUsersJobID, Name: "users-sync", Class: "small", Region: "cn-hangzhou",
			PayType: PayTypePrePaid, ExpireTime: time.Date(2030, 12, 31, 16, 0, 0, 0, time.UTC), CreateTime: time.Date(2024, 5, 2, 9, 12, 44, 0, time.UTC),
			Source:                  mysql("rm-bp1users0src0a002", "172.16.89.10"),
			Destination:             mysql("rm-bp1users0dst0a002", "172.16.89.20"),
			Tags:                    []Tag{{"env", "test"}, {"team", "identity"}},
			Objects:                 []SyncObject{{SchemaName: "accounts", Tables: []string{"users"}}},
			Forward:                 DirectionState{Status: StatusSynchronizing},
			StructureInitialization: true, DataInitialization: true,
		},
		{
			ID: DefaultInventoryJobID, Name: "inventory-two-way", Class: "large", Region: "cn-hangzhou",
			TwoWay: true, PayType: PayTypePostPaid, CreateTime: time.Date(2024, 5, 3, 10, 20, 0, 0, time.UTC),
			Source:                  mysql("rm-bp1inv00east0a003", "172.16.90.10"),
			Destination:             mysql("rm-bp1inv00west0a003", "172.16.90.20"),
			Tags:                    []Tag{{"env", "staging"}, {"team", "inventory"}},
			Objects:                 []SyncObject{{SchemaName: "inventory", Tables: []string{"stock", "warehouses"}}},
			Forward:                 DirectionState{Status: StatusSynchronizing},
			Reverse:                 DirectionState{Status: StatusSynchronizing},
			StructureInitialization: true, DataInitialization: true,
		},
		{
			ID: DefaultPaymentsJobID, Name: "payments-not-started", Class: "small", Region: "cn-hangzhou",
			PayType: PayTypePostPaid, CreateTime: time.Date(2024, 5, 4, 11, 0, 0, 0, time.UTC),
			Source:                  mysql("rm-bp1pay000src0a004", "172.16.91.10"),
			Destination:             mysql("rm-bp1pay000dst0a004", "172.16.91.20"),
			Tags:                    []Tag{{"env", "test"}, {"team", "payments"}},
			Objects:                 []SyncObject{{SchemaName: "payments", Tables: []string{"charges", "refunds"}}},
			Forward:                 DirectionState{Status: StatusNotStarted},
			StructureInitialization: true, DataInitialization: true,
		},
		{
			ID: DefaultArchiveJobID, Name: "archive-paused", Class: "small", Region: "cn-beijing",
			PayType: PayTypePrePaid, ExpireTime: time.Date(2031, 6, 30, 16, 0, 0, 0, time.UTC), CreateTime: time.Date(2024, 5, 5, 12, 30, 0, 0, time.UTC),
			Source:                  mysql("rm-2ze0archive0a005", "172.17.10.10"),
			Destination:             mysql("rm-2ze0archdst0a005", "172.17.10.20"),
			Tags:                    []Tag{{"env", "prod"}, {"team", "archive"}},
			Objects:                 []SyncObject{{SchemaName: "archive", Tables: []string{"events"}}},
			Forward:                 DirectionState{Status: StatusSuspending},
			StructureInitialization: true, DataInitialization: true,
		},
	}
}
