package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/kstar-dev/kstar/internal/flock"
)

// maxInstanceSlots bounds how many pipes of one group and script a host
// runs side by side with a default --instance-id.
const maxInstanceSlots = 256

// claimInstanceID returns the static member id of a pipe started
// without --instance-id: the host name for the first pipe of the group
// and script on this host, HOST-2, HOST-3... for the next ones running
// beside it. Each claims its slot with a lock file that the operating
// system releases when the process ends, however it ends, so a pipe
// restarted after a crash gets its old id back and, with it, its
// partitions at once, instead of waiting out the dead member's session.
// release frees the slot; an empty id (no host name, no lock directory)
// means the pipe joins as a dynamic member.
func claimInstanceID(group, script string) (id string, release func()) {
	host, err := os.Hostname()
	if err != nil || host == "" {
		return "", func() {}
	}
	dir := filepath.Join(os.TempDir(), "kstar-pipe-instances")
	if err := os.MkdirAll(dir, 0o777); err != nil {
		return "", func() {}
	}
	key := strings.NewReplacer("/", "_", string(filepath.Separator), "_").Replace(group + "." + script)
	for slot := 1; slot <= maxInstanceSlots; slot++ {
		f, err := os.OpenFile(filepath.Join(dir, fmt.Sprintf("%s.%d.lock", key, slot)), os.O_CREATE|os.O_RDWR, 0o666)
		if err != nil {
			return "", func() {}
		}
		if held, err := flock.TryLock(f, true); err != nil || !held {
			f.Close()
			if err != nil {
				return "", func() {}
			}
			continue
		}
		id = host
		if slot > 1 {
			id = fmt.Sprintf("%s-%d", host, slot)
		}
		return id, func() { f.Close() }
	}
	return "", func() {}
}
