package pipeline

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/twmb/franz-go/pkg/kmsg"
)

// setTransactionalID fills in the defaults of InstanceID and
// TransactionalID for ExactlyOnce mode.
func (cfg *Config) setTransactionalID() error {
	if cfg.InstanceID == "" {
		host, err := os.Hostname()
		if err != nil || host == "" {
			return fmt.Errorf("pipeline: Config.InstanceID is required in ExactlyOnce mode when the host has no name (%v)", err)
		}
		cfg.InstanceID = host
	}
	if cfg.TransactionalID == "" {
		parts := []string{cfg.Group}
		if cfg.Name != "" {
			parts = append(parts, cfg.Name)
		}
		cfg.TransactionalID = strings.Join(append(parts, cfg.InstanceID), ".")
	}
	return nil
}

// leaveStatic makes a static member (one with an InstanceID) leave its
// group, which franz-go's Close does not do: a static member keeps its
// partitions through a restart, until its session times out. A pipeline
// that is closed, rather than killed, hands them over at once.
func (p *Pipeline) leaveStatic(ctx context.Context) {
	memberID, _ := p.cl.GroupMetadata()
	if memberID == "" {
		return // never joined
	}
	// Stop the group management first: it would rejoin.
	_ = p.cl.LeaveGroupContext(ctx)
	req := kmsg.NewPtrLeaveGroupRequest()
	req.Group = p.cfg.Group
	m := kmsg.NewLeaveGroupRequestMember()
	// With its member id, the request cannot remove a member that has
	// since taken over the instance id.
	m.MemberID = memberID
	m.InstanceID = &p.cfg.InstanceID
	m.Reason = kmsg.StringPtr("kstar pipeline closed")
	req.Members = append(req.Members, m)
	// Errors are ignored: the group then notices after the session
	// timeout that the member is gone.
	_, _ = req.RequestWith(ctx, p.cl)
}
