package acctest

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-testing/plancheck"
)

// ActionInvocation is one action a plan invokes: the action's address, and
// for an action_trigger the triggering resource and event.
type ActionInvocation struct {
	Action  string // e.g. action.dts_synchronization_job_suspend.orders
	Trigger string // e.g. terraform_data.migration
	Event   string // as the plan JSON spells it
}

func (a ActionInvocation) String() string {
	return fmt.Sprintf("%s on %s %s", a.Action, a.Trigger, a.Event)
}

// ExpectActionInvocations is a plan check that the plan invokes exactly
// these actions, in any order (terraform-plugin-testing has no action checks).
func ExpectActionInvocations(want ...ActionInvocation) plancheck.PlanCheck {
	return expectActionInvocations{want: want}
}

type expectActionInvocations struct{ want []ActionInvocation }

func (e expectActionInvocations) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	var got []string
	for _, ai := range req.Plan.ActionInvocations {
		inv := ActionInvocation{Action: ai.Address}
		if t := ai.LifecycleActionTrigger; t != nil {
			inv.Trigger, inv.Event = t.TriggeringResourceAddress, t.ActionTriggerEvent
		}
		got = append(got, inv.String())
	}
	want := make([]string, 0, len(e.want))
	for _, w := range e.want {
		want = append(want, w.String())
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		resp.Error = fmt.Errorf("the plan invokes [%s], want [%s]", strings.Join(got, "; "), strings.Join(want, "; "))
	}
}
