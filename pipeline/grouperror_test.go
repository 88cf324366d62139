package pipeline

import (
	"fmt"
	"os"
	"testing"

	"github.com/twmb/franz-go/pkg/kerr"
)

// A consumer group error stops the pipeline only when joining again
// cannot cure it; a join that timed out (seen after a crash, when the
// dead members' sessions hold the group) is retried.
func TestGroupErrorsRetried(t *testing.T) {
	for _, tc := range []struct {
		err   error
		retry bool
	}{
		{fmt.Errorf("unable to join group session: %w", os.ErrDeadlineExceeded), true},
		{fmt.Errorf("unable to join group session: %w", kerr.CoordinatorNotAvailable), true},
		{kerr.RebalanceInProgress, true},
		{kerr.GroupAuthorizationFailed, false},
		{fmt.Errorf("unable to join group session: %w", kerr.InvalidGroupID), false},
		{kerr.FencedInstanceID, false},
	} {
		if got := groupRetriable(tc.err); got != tc.retry {
			t.Errorf("groupRetriable(%v) = %v, want %v", tc.err, got, tc.retry)
		}
	}
}
