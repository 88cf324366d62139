package main

import (
	"flag"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/kstar-dev/kstar/pipeline"
)

// deliveryFlags are kstar pipe's flags for its delivery guarantee and
// its error policy.
type deliveryFlags struct {
	exactlyOnce     *bool
	transactionalID *string
	instanceID      *string
	deadLetter      *string
	retries         *int
}

func addDeliveryFlags(fs *flag.FlagSet) *deliveryFlags {
	return &deliveryFlags{
		exactlyOnce:     fs.Bool("exactly-once", false, "commit each round's results and consumed offsets in one transaction (default: at least once)"),
		transactionalID: fs.String("transactional-id", "", "`ID` of the --exactly-once transactions: stable across restarts, one per member (default GROUP.SCRIPTNAME.INSTANCE)"),
		instanceID:      fs.String("instance-id", "", "`ID` of this member of the group for good (static membership; default the host name, HOST-2... for more pipes of the group and script on the host)"),
		deadLetter:      fs.String("dead-letter", "", "`TOPIC` for records process fails on, with the error in their headers (default: stop at the first failure)"),
		retries:         fs.Int("retries", 0, "call process `N` more times for a record it fails on before giving up; -1: until it succeeds"),
	}
}

// check returns what is wrong with the flags' values, if anything.
func (d *deliveryFlags) check() error {
	switch {
	case *d.retries < -1:
		return fmt.Errorf("--retries must be -1 (until it succeeds), 0 or more, not %d", *d.retries)
	case *d.transactionalID != "" && !*d.exactlyOnce:
		return fmt.Errorf("--transactional-id needs --exactly-once")
	}
	return nil
}

// apply sets the flags' fields of cfg, for a pipe running script; release
// frees the default instance id it claimed.
func (d *deliveryFlags) apply(cfg *pipeline.Config, script string) (release func()) {
	base := filepath.Base(script)
	cfg.Name = strings.TrimSuffix(base, filepath.Ext(base))
	cfg.ExactlyOnce = *d.exactlyOnce
	cfg.TransactionalID = *d.transactionalID
	cfg.InstanceID = *d.instanceID
	release = func() {}
	if cfg.InstanceID == "" {
		cfg.InstanceID, release = claimInstanceID(cfg.Group, cfg.Name)
	}
	cfg.DeadLetter = *d.deadLetter
	cfg.Retries = *d.retries
	return release
}
