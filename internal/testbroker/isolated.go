package testbroker

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// WipeTimeout bounds how long Isolated waits for a real cluster to be
// emptied. It exceeds franz-go's default session timeout (45 s), so that a
// group whose member died without leaving (a test binary killed on timeout)
// has expired by then. Default: 60 s.
var WipeTimeout = 60 * time.Second

// Isolated returns bootstrap servers of a cluster with no topics and no
// groups but the internal ones, for a test that uses fixed names. With
// kfake it is a fresh embedded broker; with EnvVar set it waits until no
// other test in any process uses that cluster, keeps it for itself until
// the test ends, and deletes every non-internal topic and every group
// first (Wipe).
func Isolated(t testing.TB) string {
	t.Helper()
	s := os.Getenv(EnvVar)
	if s == "" {
		return Bootstrap(t)
	}
	lock(t, s, true)
	ctx, cancel := context.WithTimeout(context.Background(), WipeTimeout)
	defer cancel()
	if err := Wipe(ctx, s); err != nil {
		var stuck *StuckError
		if !errors.As(err, &stuck) {
			t.Fatalf("emptying the cluster at %s: %v", s, err)
		}
		// Something outside this test keeps them alive (a client of
		// another test binary, an orphaned process): later wipes leave
		// them alone rather than wait for them again, and a test that
		// needs one of these names fails on what it finds, not by
		// timing out. Said on stderr so that CI logs show the culprit.
		markStuck(stuck)
		fmt.Fprintf(os.Stderr, "testbroker: %v; left in place for %s\n", err, t.Name())
	}
	return s
}

// StuckError is Wipe's error when topics or groups stayed although it
// deleted them until its context ended: a live client re-creates a
// topic it reads or writes, and keeps its group.
type StuckError struct {
	Topics, Groups []string
}

func (e *StuckError) Error() string {
	return fmt.Sprintf("still there: topics %v, groups %v", e.Topics, e.Groups)
}

// stuckNames are the topics and groups (prefixed "topic " and "group ")
// a wipe of this process could not remove: later wipes leave them.
var stuckNames sync.Map

func markStuck(e *StuckError) {
	for _, n := range e.Topics {
		stuckNames.Store("topic "+n, true)
	}
	for _, n := range e.Groups {
		stuckNames.Store("group "+n, true)
	}
}

// withoutStuck drops the names a wipe gave up on.
func withoutStuck(kind string, names []string) []string {
	return slices.DeleteFunc(names, func(n string) bool {
		_, ok := stuckNames.Load(kind + " " + n)
		return ok
	})
}

// Wipe deletes every topic of the cluster at bootstrap except internal ones
// (names starting with "__"), and every group, then waits until metadata no
// longer lists those topics and no group is left. Groups that still have
// members (a client not yet closed) are retried until ctx ends. Last, it
// waits until the group and transaction coordinators answer: on a new
// Apache Kafka cluster they are unavailable (COORDINATOR_NOT_AVAILABLE)
// until the first request has created __consumer_offsets or
// __transaction_state, which kfake never shows and tests do not test.
func Wipe(ctx context.Context, bootstrap string) error {
	cl, err := kgo.NewClient(kgo.SeedBrokers(strings.Split(bootstrap, ",")...))
	if err != nil {
		return err
	}
	defer cl.Close()
	var last error
	for {
		topics, groups, err := leftovers(ctx, cl)
		topics, groups = withoutStuck("topic", topics), withoutStuck("group", groups)
		if err == nil && len(topics) == 0 && len(groups) == 0 {
			err = coordinatorsReady(ctx, cl)
		}
		if err == nil && len(topics) == 0 && len(groups) == 0 {
			return nil
		}
		if err == nil && len(topics)+len(groups) > 0 {
			err = deleteAll(ctx, cl, topics, groups)
		}
		if err != nil {
			last = err
		} else {
			last = &StuckError{Topics: topics, Groups: groups}
		}
		select {
		case <-ctx.Done():
			return last
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// leftovers lists the non-internal topics and the groups of the cluster.
func leftovers(ctx context.Context, cl *kgo.Client) (topics, groups []string, err error) {
	meta := kmsg.NewPtrMetadataRequest() // nil Topics: all of them
	mresp, err := meta.RequestWith(ctx, cl)
	if err != nil {
		return nil, nil, err
	}
	for _, tp := range mresp.Topics {
		if tp.Topic != nil && !tp.IsInternal && !strings.HasPrefix(*tp.Topic, "__") {
			topics = append(topics, *tp.Topic)
		}
	}
	for _, shard := range cl.RequestSharded(ctx, kmsg.NewPtrListGroupsRequest()) {
		if shard.Err != nil {
			return nil, nil, shard.Err
		}
		resp := shard.Resp.(*kmsg.ListGroupsResponse)
		if err := kerr.ErrorForCode(resp.ErrorCode); err != nil {
			return nil, nil, fmt.Errorf("ListGroups: %w", err)
		}
		for _, g := range resp.Groups {
			groups = append(groups, g.Group)
		}
	}
	slices.Sort(groups)
	return topics, slices.Compact(groups), nil
}

// deleteAll asks for the topics and groups to be deleted; errors meaning
// "already gone" are ignored, NON_EMPTY_GROUP is left for the next round.
func deleteAll(ctx context.Context, cl *kgo.Client, topics, groups []string) error {
	if len(topics) > 0 {
		req := kmsg.NewPtrDeleteTopicsRequest()
		req.TimeoutMillis = 15000
		req.TopicNames = topics
		for _, name := range topics {
			rt := kmsg.NewDeleteTopicsRequestTopic()
			rt.Topic = kmsg.StringPtr(name)
			req.Topics = append(req.Topics, rt)
		}
		resp, err := req.RequestWith(ctx, cl)
		if err != nil {
			return fmt.Errorf("DeleteTopics: %w", err)
		}
		for _, rt := range resp.Topics {
			if err := kerr.ErrorForCode(rt.ErrorCode); err != nil && !errors.Is(err, kerr.UnknownTopicOrPartition) {
				name := ""
				if rt.Topic != nil {
					name = *rt.Topic
				}
				return fmt.Errorf("DeleteTopics %s: %w", name, err)
			}
		}
	}
	if len(groups) > 0 {
		req := kmsg.NewPtrDeleteGroupsRequest()
		req.Groups = groups
		for _, shard := range cl.RequestSharded(ctx, req) {
			if shard.Err != nil {
				return fmt.Errorf("DeleteGroups: %w", shard.Err)
			}
			for _, g := range shard.Resp.(*kmsg.DeleteGroupsResponse).Groups {
				err := kerr.ErrorForCode(g.ErrorCode)
				if err != nil && !errors.Is(err, kerr.GroupIDNotFound) && !errors.Is(err, kerr.NonEmptyGroup) {
					return fmt.Errorf("DeleteGroups %s: %w", g.Group, err)
				}
			}
		}
	}
	return nil
}

// coordinatorsReady asks for a group coordinator and a transaction
// coordinator, which creates their internal topics on first use, and
// reports an error until both are known.
func coordinatorsReady(ctx context.Context, cl *kgo.Client) error {
	for _, typ := range []int8{0, 1} { // group, transaction
		req := kmsg.NewPtrFindCoordinatorRequest()
		req.CoordinatorType = typ
		req.CoordinatorKey = "kstar-testbroker"
		req.CoordinatorKeys = []string{req.CoordinatorKey}
		resp, err := req.RequestWith(ctx, cl)
		if err != nil {
			return err
		}
		code := resp.ErrorCode
		for _, c := range resp.Coordinators {
			code = c.ErrorCode
		}
		if err := kerr.ErrorForCode(code); err != nil {
			return fmt.Errorf("FindCoordinator (type %d): %w", typ, err)
		}
	}
	return nil
}
