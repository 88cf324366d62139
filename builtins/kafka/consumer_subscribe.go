package kafka

import (
	"regexp"
	"sort"
	"time"

	"go.starlark.net/starlark"

	"github.com/kstar-dev/kstar/builtins/py"
)

// subscriptionError is kafka-python's message when subscribe and assign
// are mixed.
const subscriptionError = "You must choose only one way to configure your consumer: (1) subscribe to specific topics by name, (2) subscribe to topics matching a regex pattern, (3) assign itself specific topic-partitions."

var legalTopicName = regexp.MustCompile(`^[a-zA-Z0-9._-]+$`)

func validTopicName(name string) error {
	if !legalTopicName.MatchString(name) {
		return py.Errorf(py.ValueError, "Topic name \"%s\" is illegal, it contains a character other than ASCII alphanumerics, \".\", \"_\" and \"-\"", name)
	}
	if len(name) > 249 {
		return py.Errorf(py.ValueError, "Topic name is illegal, it can't be longer than 249 characters, topic: \"%s\"", name)
	}
	if name == "." || name == ".." {
		return py.Errorf(py.ValueError, "Topic name cannot be \".\" or \"..\"")
	}
	return nil
}

func (c *KafkaConsumer) pySubscribe(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var topics, pattern, listener starlark.Value = starlark.Tuple{}, starlark.None, starlark.None
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "topics?", &topics, "pattern?", &pattern, "listener?", &listener); err != nil {
		return nil, err
	}
	if err := c.checkOpen(); err != nil {
		return nil, err
	}
	if err := c.runQueue(thread); err != nil {
		return nil, err
	}
	var names []string
	switch t := topics.(type) {
	case starlark.String:
		names = []string{string(t)} // kafka-python 2.0.2 accepts one name
	case starlark.NoneType:
	default:
		iter := starlark.Iterate(topics)
		if iter == nil {
			return nil, py.NewException(py.TypeError, "Topics must be a list (or non-str sequence)")
		}
		for x := range starlark.Elements(topics.(starlark.Iterable)) {
			if x == starlark.None {
				iter.Done()
				return nil, py.NewException(py.TypeError, "All topics must not be None")
			}
			s, ok := x.(starlark.String)
			if !ok {
				iter.Done()
				return nil, py.Errorf(py.TypeError, "Topics must be str, not %s", py.TypeName(x))
			}
			names = append(names, string(s))
		}
		iter.Done()
	}
	var pat string
	if pattern != starlark.None {
		s, ok := pattern.(starlark.String)
		if !ok {
			return nil, py.Errorf(py.TypeError, "pattern must be a str, not %s", py.TypeName(pattern))
		}
		pat = string(s)
	}
	if c.userAssign || (len(names) > 0 && pat != "") {
		return nil, py.NewException(IllegalStateError, subscriptionError)
	}
	if len(names) == 0 && pat == "" {
		return nil, py.NewException(py.ValueError, "Must provide topics or pattern")
	}
	var lis starlark.Value
	if listener != starlark.None {
		lis = listener
	}
	var err error
	if pat != "" {
		err = c.subscribePattern(thread, pat, lis)
	} else {
		err = c.subscribeTopics(thread, names, lis)
	}
	if err != nil {
		return nil, err
	}
	if lis != nil && !isRebalanceListener(lis) {
		// kafka-python stores the subscription before checking the listener.
		c.listener = nil
		return nil, py.NewException(py.TypeError, "listener must be a ConsumerRebalanceListener")
	}
	return starlark.None, nil
}

// subscribeTopics replaces the subscription with topics.
func (c *KafkaConsumer) subscribeTopics(thread *starlark.Thread, topics []string, listener starlark.Value) error {
	seen := map[string]bool{}
	var uniq []string
	for _, t := range topics {
		if err := validTopicName(t); err != nil {
			return err
		}
		if err := c.env.CheckTopic(t); err != nil {
			return err
		}
		if !seen[t] {
			seen[t] = true
			uniq = append(uniq, t)
		}
	}
	sort.Strings(uniq)
	revoked := c.revokeForResubscribe(thread)
	if err := c.dropSubscription(thread); err != nil {
		return err
	}
	c.subTopics, c.subscribed, c.pattern, c.patternSrc = uniq, true, nil, ""
	c.listener = listener
	return c.startSubscription(thread, revoked)
}

// revokeForResubscribe does what kafka-python does before a group member
// rejoins with a new subscription: commit the consumed positions (with
// auto-commit) and tell the listener its partitions are revoked. It
// reports whether it called the listener.
func (c *KafkaConsumer) revokeForResubscribe(thread *starlark.Thread) bool {
	if !c.subscribed || c.cur == nil || !c.cur.group || c.closed {
		return false
	}
	c.onRevoked(thread, c.cur, c.assigned(), true)
	return c.listener != nil
}

// subscribePattern replaces the subscription with a regex subscription.
func (c *KafkaConsumer) subscribePattern(thread *starlark.Thread, pattern string, listener starlark.Value) error {
	re, err := regexp.Compile("^(?:" + pattern + ")")
	if err != nil {
		return py.Errorf(py.ValueError, "invalid pattern %s: %v", py.QuoteString(pattern), err)
	}
	revoked := c.revokeForResubscribe(thread)
	if err := c.dropSubscription(thread); err != nil {
		return err
	}
	c.subTopics, c.subscribed, c.pattern, c.patternSrc = nil, true, re, pattern
	c.listener = listener
	if c.env.AllowedTopics != nil {
		// Only allowed topics can ever match: subscribe to those by name.
		for _, t := range c.env.AllowedTopics {
			if re.MatchString(t) {
				c.subTopics = append(c.subTopics, t)
			}
		}
		sort.Strings(c.subTopics)
		c.pattern, c.patternSrc = nil, ""
		if len(c.subTopics) == 0 {
			return nil
		}
	}
	return c.startSubscription(thread, revoked)
}

// startSubscription starts consuming the subscription: a group client for
// a group, or direct consuming of every partition without one. revoked
// says the listener was just told of the previous assignment's end.
func (c *KafkaConsumer) startSubscription(thread *starlark.Thread, revoked bool) error {
	c.revokeCalled = revoked
	if c.set.groupID == "" {
		c.nextMeta = time.Time{}
		return nil // partitions are found at the next poll
	}
	if err := c.retire(thread, c.cur, c.closeTimeout()); err != nil {
		return err
	}
	c.setCur(nil)
	g, err := c.newClient(true)
	if err != nil {
		return err
	}
	c.setCur(g)
	return nil
}

// dropSubscription ends the current subscription: a group is left (its
// listener is not called, as kafka-python's unsubscribe does not), and
// the assignment is cleared.
func (c *KafkaConsumer) dropSubscription(thread *starlark.Thread) error {
	if !c.subscribed {
		return nil
	}
	if c.cur != nil && c.cur.group {
		if err := c.retire(thread, c.cur, c.closeTimeout()); err != nil {
			return err
		}
		c.setCur(nil)
	}
	c.clearAssignment()
	c.subTopics, c.subscribed, c.pattern, c.patternSrc, c.listener = nil, false, nil, "", nil
	return nil
}

// clearAssignment forgets every partition and stops fetching them.
func (c *KafkaConsumer) clearAssignment() {
	var remove []tp
	for t, ps := range c.parts {
		if ps.added && c.cur != nil && !c.cur.group {
			remove = append(remove, t)
		}
	}
	c.parts = map[tp]*partState{}
	c.buf.reset()
	if len(remove) > 0 {
		c.cur.cl.RemoveConsumePartitions(topicPartMap(remove))
		c.cur.cl.ResumeFetchPartitions(topicPartMap(remove))
	}
}

func topicPartMap(tps []tp) map[string][]int32 {
	m := map[string][]int32{}
	for _, t := range tps {
		m[t.topic] = append(m[t.topic], t.partition)
	}
	return m
}

func (c *KafkaConsumer) pyUnsubscribe(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0); err != nil {
		return nil, err
	}
	if err := c.checkOpen(); err != nil {
		return nil, err
	}
	if c.userAssign {
		c.clearAssignment()
		c.userAssign = false
		return starlark.None, nil
	}
	return starlark.None, c.dropSubscription(thread)
}

func (c *KafkaConsumer) pySubscription(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0); err != nil {
		return nil, err
	}
	if !c.subscribed {
		return starlark.None, nil
	}
	if err := c.runQueue(thread); err != nil {
		return nil, err
	}
	var names []string
	if c.pattern != nil {
		// The topics the pattern has matched so far.
		seen := map[string]bool{}
		for t := range c.parts {
			if !seen[t.topic] {
				seen[t.topic] = true
				names = append(names, t.topic)
			}
		}
		if c.cur != nil && c.cur.group {
			for _, t := range c.cur.cl.GetConsumeTopics() {
				if !seen[t] && c.pattern.MatchString(t) {
					seen[t] = true
					names = append(names, t)
				}
			}
		}
		sort.Strings(names)
	} else {
		names = c.subTopics
	}
	s := starlark.NewSet(len(names))
	for _, n := range names {
		_ = s.Insert(starlark.String(n))
	}
	return s, nil
}
