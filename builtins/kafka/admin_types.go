package kafka

import (
	"fmt"
	"sort"
	"strings"
	"sync/atomic"

	"go.starlark.net/starlark"
	"go.starlark.net/syntax"

	"github.com/kstar-dev/kstar/builtins/py"
)

// This file holds the values of kafka.admin that are not the client
// itself: the argument classes NewTopic, NewPartitions and ConfigResource,
// the enums ConfigResourceType and OffsetSpec, OffsetTimestamp, the
// namedtuples of kafka.structs the group methods return, and protocol
// structs (CreateTopicsResponse_v3(...)), which kafka-python 2.0.2 returns
// from its topic and config methods.

// ---- plain kafka.admin objects ----

// adminClass is a kafka.admin class whose instances are plain Python
// objects (NewTopic, NewPartitions, ConfigResource): calling it checks the
// arguments and makes an adminObject. Instances print as kafka-python's
// do, <kafka.admin.new_topic.NewTopic object at 0x...>.
type adminClass struct {
	name   string // NewTopic
	module string // kafka.admin.new_topic
	doc    string
	params []string // constructor parameters, required ones first
	nreq   int      // how many params are required
	// init checks the arguments (in params order, nil for an omitted
	// optional one) and returns the instance's attributes.
	init func(args []starlark.Value) (map[string]starlark.Value, error)
	// attrs lists the instance attributes in display order.
	attrs []string
}

var (
	_ starlark.Callable = (*adminClass)(nil)
	_ py.Documented     = (*adminClass)(nil)
)

func (c *adminClass) String() string        { return "<class '" + c.module + "." + c.name + "'>" }
func (c *adminClass) Type() string          { return "type" }
func (c *adminClass) Freeze()               {}
func (c *adminClass) Truth() starlark.Bool  { return true }
func (c *adminClass) Hash() (uint32, error) { return starlark.String(c.module + "." + c.name).Hash() }
func (c *adminClass) Name() string          { return c.name }

// Doc describes the class for help().
func (c *adminClass) Doc() string { return c.doc }

// CallInternal builds an instance from positional or keyword arguments.
func (c *adminClass) CallInternal(thread *starlark.Thread, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	vals := make([]starlark.Value, len(c.params))
	pairs := make([]any, 0, 2*len(c.params))
	for i, p := range c.params {
		if i >= c.nreq {
			p += "?"
		}
		pairs = append(pairs, p, &vals[i])
	}
	if err := unpackArgs(c.name, args, kwargs, pairs...); err != nil {
		return nil, err
	}
	attrs, err := c.init(vals)
	if err != nil {
		return nil, err
	}
	return &adminObject{class: c, attrs: attrs, id: adminObjectIDs.Add(1)}, nil
}

// adminObject is an instance of an adminClass: a Python object with
// settable attributes.
type adminObject struct {
	class  *adminClass
	attrs  map[string]starlark.Value
	frozen bool
	id     uint32
}

// adminObjectIDs numbers adminObjects for their identity hash.
var adminObjectIDs atomic.Uint32

var (
	_ starlark.HasSetField = (*adminObject)(nil)
	_ py.Reprer            = (*adminObject)(nil)
)

func (o *adminObject) String() string {
	return fmt.Sprintf("<%s.%s object at %p>", o.class.module, o.class.name, o)
}

// PyRepr is the object's Python repr (the default object repr).
func (o *adminObject) PyRepr() string { return o.String() }
func (o *adminObject) Type() string   { return o.class.name }
func (o *adminObject) Freeze() {
	if !o.frozen {
		o.frozen = true
		for _, v := range o.attrs {
			v.Freeze()
		}
	}
}
func (o *adminObject) Truth() starlark.Bool { return true }

// Hash is by identity, as for Python objects.
func (o *adminObject) Hash() (uint32, error) { return o.id, nil }

func (o *adminObject) Attr(name string) (starlark.Value, error) {
	if v, ok := o.attrs[name]; ok {
		return v, nil
	}
	return nil, nil
}

func (o *adminObject) AttrNames() []string {
	names := append([]string(nil), o.class.attrs...)
	sort.Strings(names)
	return names
}

// SetField assigns an attribute, as Python allows on plain objects.
func (o *adminObject) SetField(name string, v starlark.Value) error {
	if o.frozen {
		return py.Errorf(py.TypeError, "cannot set attribute '%s' of frozen %s", name, o.class.name)
	}
	if _, ok := o.attrs[name]; !ok {
		return py.Errorf(py.AttributeError, "'%s' object has no attribute '%s'", o.class.name, name)
	}
	o.attrs[name] = v
	return nil
}

// get returns an attribute's value.
func (o *adminObject) get(name string) starlark.Value { return o.attrs[name] }

// asAdminObject returns v as an instance of class c.
func asAdminObject(v starlark.Value, c *adminClass) (*adminObject, bool) {
	o, ok := v.(*adminObject)
	if !ok || o.class != c {
		return nil, false
	}
	return o, true
}

// NewTopicClass is kafka.admin.NewTopic(name, num_partitions,
// replication_factor, replica_assignments=None, topic_configs=None).
var NewTopicClass = &adminClass{
	name:   "NewTopic",
	module: "kafka.admin.new_topic",
	doc: `NewTopic(name, num_partitions, replication_factor, replica_assignments=None, topic_configs=None)
    A topic for KafkaAdminClient.create_topics. Give either num_partitions
    and replication_factor, or replica_assignments ({partition: [broker
    ids]}) with both counts -1. topic_configs is {config name: value}.`,
	params: []string{"name", "num_partitions", "replication_factor", "replica_assignments", "topic_configs"},
	nreq:   3,
	attrs:  []string{"name", "num_partitions", "replication_factor", "replica_assignments", "topic_configs"},
	init: func(a []starlark.Value) (map[string]starlark.Value, error) {
		name, ok := a[0].(starlark.String)
		if !ok {
			return nil, py.Errorf(py.TypeError, "NewTopic() name must be str, not %s", py.TypeName(a[0]))
		}
		counts := [2]int{}
		for i, what := range []string{"num_partitions", "replication_factor"} {
			n, err := adminInt(a[1+i])
			if err != nil {
				return nil, py.Errorf(py.TypeError, "NewTopic() %s must be int, not %s", what, py.TypeName(a[1+i]))
			}
			counts[i] = n
		}
		assignments := a[3]
		if assignments == nil {
			assignments = starlark.None
		}
		// kafka-python: exactly one of (both counts) and replica_assignments.
		if !((counts[0] == -1 || counts[1] == -1) != (assignments == starlark.None)) {
			return nil, py.NewException(IllegalArgumentError, "either num_partitions/replication_factor or replica_assignment must be specified")
		}
		if assignments == starlark.None {
			assignments = starlark.NewDict(0)
		} else if _, err := replicaAssignments(assignments); err != nil {
			return nil, err
		}
		configs := a[4]
		if configs == nil || configs == starlark.None {
			configs = starlark.NewDict(0)
		} else if _, err := configPairs("NewTopic() topic_configs", configs); err != nil {
			return nil, err
		}
		return map[string]starlark.Value{
			"name": name, "num_partitions": a[1], "replication_factor": a[2],
			"replica_assignments": assignments, "topic_configs": configs,
		}, nil
	},
}

// NewPartitionsClass is kafka.admin.NewPartitions(total_count,
// new_assignments=None).
var NewPartitionsClass = &adminClass{
	name:   "NewPartitions",
	module: "kafka.admin.new_partitions",
	doc: `NewPartitions(total_count, new_assignments=None)
    The new partition count of a topic, for
    KafkaAdminClient.create_partitions({topic: NewPartitions(n)}): the total,
    not the number added. new_assignments is a list of broker id lists,
    one per new partition.`,
	params: []string{"total_count", "new_assignments"},
	nreq:   1,
	attrs:  []string{"total_count", "new_assignments"},
	init: func(a []starlark.Value) (map[string]starlark.Value, error) {
		if _, err := adminInt(a[0]); err != nil {
			return nil, py.Errorf(py.TypeError, "NewPartitions() total_count must be int, not %s", py.TypeName(a[0]))
		}
		assign := a[1]
		if assign == nil {
			assign = starlark.None
		}
		if assign != starlark.None {
			if _, err := brokerLists(assign); err != nil {
				return nil, err
			}
		}
		return map[string]starlark.Value{"total_count": a[0], "new_assignments": assign}, nil
	},
}

// ConfigResourceClass is kafka.admin.ConfigResource(resource_type, name,
// configs=None).
var ConfigResourceClass = &adminClass{
	name:   "ConfigResource",
	module: "kafka.admin.config_resource",
	doc: `ConfigResource(resource_type, name, configs=None)
    A topic or broker for describe_configs and alter_configs.
    resource_type is ConfigResourceType.TOPIC or .BROKER, or its name
    ('topic', case-insensitive). configs: for describe_configs, the config
    names to return (None: all); for alter_configs, {name: value}.`,
	params: []string{"resource_type", "name", "configs"},
	nreq:   2,
	attrs:  []string{"resource_type", "name", "configs"},
	init: func(a []starlark.Value) (map[string]starlark.Value, error) {
		rt, err := configResourceType(a[0])
		if err != nil {
			return nil, err
		}
		var name starlark.Value
		switch n := a[1].(type) {
		case starlark.String:
			name = n
		case starlark.Int:
			name = starlark.String(n.String()) // a broker id
		default:
			return nil, py.Errorf(py.TypeError, "ConfigResource() name must be str, not %s", py.TypeName(a[1]))
		}
		configs := a[2]
		if configs == nil {
			configs = starlark.None
		}
		switch configs.(type) {
		case starlark.NoneType, *starlark.Dict, *starlark.List, starlark.Tuple, *starlark.Set:
		default:
			return nil, py.Errorf(py.TypeError, "ConfigResource() configs must be a dict or None, not %s", py.TypeName(configs))
		}
		return map[string]starlark.Value{"resource_type": rt, "name": name, "configs": configs}, nil
	},
}

// configResourceType accepts a ConfigResourceType member, its name in any
// case ('topic'), or its value (2). kafka-python looks names up with
// ConfigResourceType[str(x).upper()], so anything else is a KeyError.
func configResourceType(v starlark.Value) (*EnumMember, error) {
	switch x := v.(type) {
	case *EnumMember:
		if x.enum == ConfigResourceTypeEnum {
			return x, nil
		}
	case starlark.String:
		if m := ConfigResourceTypeEnum.byName(strings.ToUpper(string(x))); m != nil {
			return m, nil
		}
	case starlark.Int:
		if n, ok := x.Int64(); ok {
			if m := ConfigResourceTypeEnum.byValue(int(n)); m != nil {
				return m, nil
			}
		}
	}
	return nil, keyErrorOf(starlark.String(strings.ToUpper(py.Str(v))))
}

// keyErrorOf is Python's KeyError(key): its message is the key's repr.
func keyErrorOf(key starlark.Value) *py.Exception {
	return &py.Exception{Class: py.KeyError, Msg: py.Repr(key), Args: starlark.Tuple{key}}
}

// adminInt returns an int argument (not a bool) as a Go int.
func adminInt(v starlark.Value) (int, error) {
	i, ok := v.(starlark.Int)
	if !ok {
		return 0, fmt.Errorf("not an int")
	}
	n, ok := i.Int64()
	if !ok || n != int64(int32(n)) {
		return 0, fmt.Errorf("out of range")
	}
	return int(n), nil
}

// replicaAssignments reads NewTopic's {partition: [broker ids]}, sorted by
// partition.
func replicaAssignments(v starlark.Value) ([]partitionReplicas, error) {
	d, ok := v.(*starlark.Dict)
	if !ok {
		return nil, py.Errorf(py.TypeError, "NewTopic() replica_assignments must be a dict of partition to broker ids, not %s", py.TypeName(v))
	}
	var out []partitionReplicas
	for _, kv := range d.Items() {
		p, err := adminInt(kv[0])
		if err != nil {
			return nil, py.Errorf(py.TypeError, "NewTopic() replica_assignments keys must be partition ints, not %s", py.TypeName(kv[0]))
		}
		ids, err := intList("NewTopic() replica_assignments values", kv[1])
		if err != nil {
			return nil, err
		}
		out = append(out, partitionReplicas{partition: int32(p), replicas: ids})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].partition < out[j].partition })
	return out, nil
}

type partitionReplicas struct {
	partition int32
	replicas  []int32
}

// brokerLists reads NewPartitions' new_assignments: a list of broker id
// lists.
func brokerLists(v starlark.Value) ([][]int32, error) {
	var out [][]int32
	iter, ok := listIter(v)
	if !ok {
		return nil, py.Errorf(py.TypeError, "NewPartitions() new_assignments must be a list of broker id lists, not %s", py.TypeName(v))
	}
	defer iter.Done()
	var x starlark.Value
	for iter.Next(&x) {
		ids, err := intList("NewPartitions() new_assignments items", x)
		if err != nil {
			return nil, err
		}
		out = append(out, ids)
	}
	return out, nil
}

// listIter iterates a list or tuple.
func listIter(v starlark.Value) (starlark.Iterator, bool) {
	switch v.(type) {
	case *starlark.List, starlark.Tuple:
		return v.(starlark.Iterable).Iterate(), true
	}
	return nil, false
}

// intList reads a list of int32 (broker ids).
func intList(what string, v starlark.Value) ([]int32, error) {
	iter, ok := listIter(v)
	if !ok {
		return nil, py.Errorf(py.TypeError, "%s must be lists of ints, not %s", what, py.TypeName(v))
	}
	defer iter.Done()
	var out []int32
	var x starlark.Value
	for iter.Next(&x) {
		n, err := adminInt(x)
		if err != nil {
			return nil, py.Errorf(py.TypeError, "%s must be lists of ints, not lists of %s", what, py.TypeName(x))
		}
		out = append(out, int32(n))
	}
	return out, nil
}

// configPair is a config name and value (nil: null, reset to default).
type configPair struct {
	name  string
	value *string
}

// configPairs reads a {config name: value} dict. Values are str, or None
// (alter_configs: no value); ints and bools are accepted as kstar's
// convenience and sent as Kafka spells them (1000, true).
func configPairs(what string, v starlark.Value) ([]configPair, error) {
	d, ok := v.(*starlark.Dict)
	if !ok {
		return nil, py.Errorf(py.TypeError, "%s must be a dict of config name to value, not %s", what, py.TypeName(v))
	}
	var out []configPair
	for _, kv := range d.Items() {
		k, ok := kv[0].(starlark.String)
		if !ok {
			return nil, py.Errorf(py.TypeError, "%s keys must be str, not %s", what, py.TypeName(kv[0]))
		}
		p := configPair{name: string(k)}
		switch x := kv[1].(type) {
		case starlark.String:
			s := string(x)
			p.value = &s
		case starlark.Bool:
			s := "false"
			if x {
				s = "true"
			}
			p.value = &s
		case starlark.Int:
			s := x.String()
			p.value = &s
		case starlark.NoneType:
		default:
			return nil, py.Errorf(py.TypeError, "%s values must be str, not %s (%s: %s)", what, py.TypeName(kv[1]), py.QuoteString(string(k)), py.Repr(kv[1]))
		}
		out = append(out, p)
	}
	return out, nil
}

// ---- enums ----

// Enum is a Python IntEnum class (ConfigResourceType, OffsetSpec): its
// members are attributes (ConfigResourceType.TOPIC), it can be indexed by
// name (ConfigResourceType['TOPIC']), called with a value
// (ConfigResourceType(2)) and iterated.
type Enum struct {
	name    string
	doc     string
	members []*EnumMember
}

// EnumMember is one member of an Enum: .name and .value, repr
// <ConfigResourceType.TOPIC: 2>.
type EnumMember struct {
	enum  *Enum
	name  string
	value int
}

func newEnum(name, doc string, members ...any) *Enum {
	e := &Enum{name: name, doc: doc}
	for i := 0; i < len(members); i += 2 {
		e.members = append(e.members, &EnumMember{enum: e, name: members[i].(string), value: members[i+1].(int)})
	}
	return e
}

// ConfigResourceTypeEnum is kafka.admin.ConfigResourceType: BROKER (4)
// and TOPIC (2), as in kafka-python 2.0.2.
var ConfigResourceTypeEnum = newEnum("ConfigResourceType", `ConfigResourceType
    The kind of a ConfigResource: ConfigResourceType.BROKER (4) or
    ConfigResourceType.TOPIC (2).`, "BROKER", 4, "TOPIC", 2)

// OffsetSpecEnum is kafka-python 3.0's kafka.admin.OffsetSpec, the targets
// of reset_group_offsets: LATEST (-1), EARLIEST (-2), MAX_TIMESTAMP (-3).
var OffsetSpecEnum = newEnum("OffsetSpec", `OffsetSpec
    Where reset_group_offsets moves a partition (kafka-python 3.0):
    OffsetSpec.EARLIEST (the log start), OffsetSpec.LATEST (the end),
    OffsetSpec.MAX_TIMESTAMP (the record with the highest timestamp).`,
	"LATEST", -1, "EARLIEST", -2, "MAX_TIMESTAMP", -3)

var (
	_ starlark.Callable = (*Enum)(nil)
	_ starlark.HasAttrs = (*Enum)(nil)
	_ starlark.Mapping  = (*Enum)(nil)
	_ starlark.Iterable = (*Enum)(nil)
	_ py.Documented     = (*Enum)(nil)
	_ starlark.HasAttrs = (*EnumMember)(nil)
	_ py.Reprer         = (*EnumMember)(nil)
)

func (e *Enum) String() string        { return "<enum '" + e.name + "'>" }
func (e *Enum) Type() string          { return "EnumMeta" }
func (e *Enum) Freeze()               {}
func (e *Enum) Truth() starlark.Bool  { return true }
func (e *Enum) Hash() (uint32, error) { return starlark.String(e.name).Hash() }
func (e *Enum) Name() string          { return e.name }

// Doc describes the enum for help().
func (e *Enum) Doc() string { return e.doc }

func (e *Enum) byName(name string) *EnumMember {
	for _, m := range e.members {
		if m.name == name {
			return m
		}
	}
	return nil
}

func (e *Enum) byValue(v int) *EnumMember {
	for _, m := range e.members {
		if m.value == v {
			return m
		}
	}
	return nil
}

// Attr returns a member by name.
func (e *Enum) Attr(name string) (starlark.Value, error) {
	if m := e.byName(name); m != nil {
		return m, nil
	}
	if name == "__name__" {
		return starlark.String(e.name), nil
	}
	return nil, nil
}

func (e *Enum) AttrNames() []string {
	names := make([]string, len(e.members))
	for i, m := range e.members {
		names[i] = m.name
	}
	return names
}

// Get implements Enum['NAME'].
func (e *Enum) Get(k starlark.Value) (starlark.Value, bool, error) {
	if s, ok := k.(starlark.String); ok {
		if m := e.byName(string(s)); m != nil {
			return m, true, nil
		}
	}
	return nil, false, keyErrorOf(k)
}

// CallInternal implements Enum(value).
func (e *Enum) CallInternal(thread *starlark.Thread, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var v starlark.Value
	if err := starlark.UnpackPositionalArgs(e.name, args, kwargs, 1, &v); err != nil {
		return nil, py.NewException(py.TypeError, err.Error())
	}
	if m, ok := v.(*EnumMember); ok && m.enum == e {
		return m, nil
	}
	if n, err := adminInt(v); err == nil {
		if m := e.byValue(n); m != nil {
			return m, nil
		}
	}
	return nil, py.Errorf(py.ValueError, "%s is not a valid %s", py.Repr(v), e.name)
}

// Iterate yields the members in definition order.
func (e *Enum) Iterate() starlark.Iterator {
	vals := make(starlark.Tuple, len(e.members))
	for i, m := range e.members {
		vals[i] = m
	}
	return vals.Iterate()
}

func (m *EnumMember) String() string { return m.PyRepr() }

// PyRepr is <Enum.NAME: value>.
func (m *EnumMember) PyRepr() string {
	return fmt.Sprintf("<%s.%s: %d>", m.enum.name, m.name, m.value)
}
func (m *EnumMember) Type() string          { return m.enum.name }
func (m *EnumMember) Freeze()               {}
func (m *EnumMember) Truth() starlark.Bool  { return m.value != 0 }
func (m *EnumMember) Hash() (uint32, error) { return starlark.MakeInt(m.value).Hash() }

// Attr exposes name and value.
func (m *EnumMember) Attr(name string) (starlark.Value, error) {
	switch name {
	case "name":
		return starlark.String(m.name), nil
	case "value":
		return starlark.MakeInt(m.value), nil
	}
	return nil, nil
}

func (m *EnumMember) AttrNames() []string { return []string{"name", "value"} }

// OffsetTimestampClass is kafka-python 3.0's kafka.admin.OffsetTimestamp:
// OffsetTimestamp(ms) asks reset_group_offsets for the first offset whose
// timestamp is at or after ms.
var OffsetTimestampClass = py.Func("OffsetTimestamp", func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var v starlark.Value
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 1, &v); err != nil {
		return nil, py.NewException(py.TypeError, err.Error())
	}
	i, ok := v.(starlark.Int)
	if !ok {
		return nil, py.Errorf(py.TypeError, "OffsetTimestamp() argument must be an int (milliseconds since the epoch), not %s", py.TypeName(v))
	}
	ms, ok := i.Int64()
	if !ok {
		return nil, py.Errorf(py.OverflowError, "OffsetTimestamp() argument out of range")
	}
	return OffsetTimestamp(ms), nil
})

// OffsetTimestamp is a millisecond timestamp given to reset_group_offsets,
// repr OffsetTimestamp(1700000000000).
type OffsetTimestamp int64

var _ starlark.Comparable = OffsetTimestamp(0)

func (t OffsetTimestamp) String() string        { return fmt.Sprintf("OffsetTimestamp(%d)", int64(t)) }
func (t OffsetTimestamp) Type() string          { return "OffsetTimestamp" }
func (t OffsetTimestamp) Freeze()               {}
func (t OffsetTimestamp) Truth() starlark.Bool  { return t != 0 }
func (t OffsetTimestamp) Hash() (uint32, error) { return starlark.MakeInt64(int64(t)).Hash() }
func (t OffsetTimestamp) CompareSameType(op syntax.Token, y starlark.Value, depth int) (bool, error) {
	return starlark.CompareDepth(op, starlark.MakeInt64(int64(t)), starlark.MakeInt64(int64(y.(OffsetTimestamp))), depth)
}

// ---- kafka.structs namedtuples of the group methods ----

var (
	// GroupInformationType is kafka.structs.GroupInformation, what
	// describe_consumer_groups returns per group.
	GroupInformationType = kafkaStruct("GroupInformation", []string{"error_code", "group", "state", "protocol_type", "protocol", "members", "authorized_operations"})
	// MemberInformationType is kafka.structs.MemberInformation, one member
	// of a GroupInformation.
	MemberInformationType = kafkaStruct("MemberInformation", []string{"member_id", "client_id", "client_host", "member_metadata", "member_assignment"})
	// PartitionLagType is kstar's PartitionLag(committed, end_offset, lag),
	// what list_consumer_group_lag returns per partition (not in
	// kafka-python).
	PartitionLagType = py.NewNamedTupleType("PartitionLag", []string{"committed", "end_offset", "lag"})
)

// ---- protocol structs ----

// protoSchema describes a kafka-python protocol struct (kafka.protocol
// Schema): its class name (top level only) and fields.
type protoSchema struct {
	name   string
	fields []protoField
	// methods are extra methods of the struct (ConsumerProtocolMemberAssignment.partitions).
	methods map[string]func(s *protoStruct) starlark.Value
}

// protoField is one field: a scalar, an array (of scalars, or of sub
// structs when sub is set), or a nested struct (sub set, array false).
type protoField struct {
	name  string
	array bool
	sub   *protoSchema
}

func scalar(name string) protoField { return protoField{name: name} }
func array(name string) protoField  { return protoField{name: name, array: true} }
func arrayOf(name string, fs ...protoField) protoField {
	return protoField{name: name, array: true, sub: &protoSchema{fields: fs}}
}
func structOf(name string, fs ...protoField) protoField {
	return protoField{name: name, sub: &protoSchema{fields: fs}}
}
func newSchema(name string, fs ...protoField) *protoSchema {
	return &protoSchema{name: name, fields: fs}
}

// The structs kafka-python 2.0.2 shows for the admin calls kstar renders
// its way (the versions 2.0.2 negotiates with a modern broker).
var (
	createTopicsRequestSchema = newSchema("CreateTopicsRequest_v3",
		arrayOf("create_topic_requests", scalar("topic"), scalar("num_partitions"), scalar("replication_factor"),
			arrayOf("replica_assignment", scalar("partition_id"), array("replicas")),
			arrayOf("configs", scalar("config_key"), scalar("config_value"))),
		scalar("timeout"), scalar("validate_only"))
	createTopicsResponseSchema = newSchema("CreateTopicsResponse_v3",
		scalar("throttle_time_ms"),
		arrayOf("topic_errors", scalar("topic"), scalar("error_code"), scalar("error_message")))
	deleteTopicsRequestSchema  = newSchema("DeleteTopicsRequest_v3", array("topics"), scalar("timeout"))
	deleteTopicsResponseSchema = newSchema("DeleteTopicsResponse_v3",
		scalar("throttle_time_ms"),
		arrayOf("topic_error_codes", scalar("topic"), scalar("error_code")))
	createPartitionsRequestSchema = newSchema("CreatePartitionsRequest_v1",
		arrayOf("topic_partitions", scalar("topic"), structOf("new_partitions", scalar("count"), array("assignment"))),
		scalar("timeout"), scalar("validate_only"))
	createPartitionsResponseSchema = newSchema("CreatePartitionsResponse_v1",
		scalar("throttle_time_ms"),
		arrayOf("topic_errors", scalar("topic"), scalar("error_code"), scalar("error_message")))
	describeConfigsResponseSchema = newSchema("DescribeConfigsResponse_v2",
		scalar("throttle_time_ms"),
		arrayOf("resources", scalar("error_code"), scalar("error_message"), scalar("resource_type"), scalar("resource_name"),
			arrayOf("config_entries", scalar("config_names"), scalar("config_value"), scalar("read_only"),
				scalar("config_source"), scalar("is_sensitive"),
				arrayOf("config_synonyms", scalar("config_name"), scalar("config_value"), scalar("config_source")))))
	alterConfigsResponseSchema = newSchema("AlterConfigsResponse_v1",
		scalar("throttle_time_ms"),
		arrayOf("resources", scalar("error_code"), scalar("error_message"), scalar("resource_type"), scalar("resource_name")))
	memberMetadataSchema = newSchema("ConsumerProtocolMemberMetadata",
		scalar("version"), array("subscription"), scalar("user_data"))
	memberAssignmentSchema = &protoSchema{
		name: "ConsumerProtocolMemberAssignment",
		fields: []protoField{scalar("version"),
			arrayOf("assignment", scalar("topic"), array("partitions")), scalar("user_data")},
		methods: map[string]func(*protoStruct) starlark.Value{"partitions": assignmentPartitions},
	}
)

// protoStruct is a kafka-python protocol struct (kafka.protocol.Struct):
// its fields are attributes, nested arrays are lists of plain tuples, and
// it prints as kafka-python prints it:
// CreateTopicsResponse_v3(throttle_time_ms=0, topic_errors=[(topic='t', error_code=0, error_message=None)]).
// to_object() returns it as nested dicts, as kafka-python's does.
type protoStruct struct {
	schema *protoSchema
	values starlark.Tuple
}

func newProtoStruct(s *protoSchema, values ...starlark.Value) *protoStruct {
	if len(values) != len(s.fields) {
		panic("kstar: protocol struct " + s.name + ": wrong number of fields")
	}
	return &protoStruct{schema: s, values: values}
}

var (
	_ starlark.HasAttrs = (*protoStruct)(nil)
	_ py.Reprer         = (*protoStruct)(nil)
)

func (s *protoStruct) String() string { return s.PyRepr() }

// PyRepr renders the struct as kafka-python's Struct.__repr__.
func (s *protoStruct) PyRepr() string {
	var b strings.Builder
	b.WriteString(s.schema.name)
	writeProtoFields(&b, s.schema, s.values)
	return b.String()
}

// writeProtoFields writes (name=value, ...) as kafka-python's Schema.repr.
func writeProtoFields(b *strings.Builder, schema *protoSchema, values starlark.Tuple) {
	b.WriteByte('(')
	for i, f := range schema.fields {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(f.name)
		b.WriteByte('=')
		writeProtoValue(b, f, values[i])
	}
	b.WriteByte(')')
}

func writeProtoValue(b *strings.Builder, f protoField, v starlark.Value) {
	switch {
	case f.array && v == starlark.None:
		b.WriteString("NULL")
	case f.array && f.sub != nil:
		b.WriteByte('[')
		l := v.(*starlark.List)
		for i := 0; i < l.Len(); i++ {
			if i > 0 {
				b.WriteString(", ")
			}
			writeProtoFields(b, f.sub, l.Index(i).(starlark.Tuple))
		}
		b.WriteByte(']')
	case f.sub != nil:
		writeProtoFields(b, f.sub, v.(starlark.Tuple))
	default:
		b.WriteString(py.Repr(v))
	}
}

func (s *protoStruct) Type() string          { return s.schema.name }
func (s *protoStruct) Freeze()               { s.values.Freeze() }
func (s *protoStruct) Truth() starlark.Bool  { return true }
func (s *protoStruct) Hash() (uint32, error) { return s.values.Hash() }

// Attr returns a field, to_object, or an extra method.
func (s *protoStruct) Attr(name string) (starlark.Value, error) {
	for i, f := range s.schema.fields {
		if f.name == name {
			return s.values[i], nil
		}
	}
	if name == "to_object" {
		return py.Func("to_object", func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0); err != nil {
				return nil, py.NewException(py.TypeError, err.Error())
			}
			return protoObject(s.schema, s.values), nil
		}).BindReceiver(s), nil
	}
	if m, ok := s.schema.methods[name]; ok {
		return py.Func(name, func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0); err != nil {
				return nil, py.NewException(py.TypeError, err.Error())
			}
			return m(s), nil
		}).BindReceiver(s), nil
	}
	return nil, nil
}

func (s *protoStruct) AttrNames() []string {
	names := []string{"to_object"}
	for _, f := range s.schema.fields {
		names = append(names, f.name)
	}
	for n := range s.schema.methods {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// protoObject converts struct values to dicts, as kafka-python's
// to_object: nested structs and arrays of structs become dicts.
func protoObject(schema *protoSchema, values starlark.Tuple) *starlark.Dict {
	d := starlark.NewDict(len(schema.fields))
	for i, f := range schema.fields {
		v := values[i]
		switch {
		case f.sub != nil && f.array && v != starlark.None:
			l := v.(*starlark.List)
			items := make([]starlark.Value, l.Len())
			for j := range items {
				items[j] = protoObject(f.sub, l.Index(j).(starlark.Tuple))
			}
			v = starlark.NewList(items)
		case f.sub != nil && !f.array:
			v = protoObject(f.sub, v.(starlark.Tuple))
		}
		_ = d.SetKey(starlark.String(f.name), v)
	}
	return d
}

// assignmentPartitions is ConsumerProtocolMemberAssignment.partitions():
// the assignment as a list of TopicPartitions.
func assignmentPartitions(s *protoStruct) starlark.Value {
	var out []starlark.Value
	l := s.values[1].(*starlark.List)
	for i := 0; i < l.Len(); i++ {
		t := l.Index(i).(starlark.Tuple)
		topic := string(t[0].(starlark.String))
		ps := t[1].(*starlark.List)
		for j := 0; j < ps.Len(); j++ {
			p, _ := starlark.AsInt32(ps.Index(j))
			out = append(out, NewTopicPartition(topic, int32(p)))
		}
	}
	return starlark.NewList(out)
}

// Helpers building protocol values.

func tupleList(items []starlark.Tuple) *starlark.List {
	vals := make([]starlark.Value, len(items))
	for i, t := range items {
		vals[i] = t
	}
	return starlark.NewList(vals)
}

func strOrNone(s *string) starlark.Value {
	if s == nil {
		return starlark.None
	}
	return starlark.String(*s)
}

func int32List(xs []int32) *starlark.List {
	vals := make([]starlark.Value, len(xs))
	for i, x := range xs {
		vals[i] = starlark.MakeInt(int(x))
	}
	return starlark.NewList(vals)
}

func strList(xs []string) *starlark.List {
	vals := make([]starlark.Value, len(xs))
	for i, x := range xs {
		vals[i] = starlark.String(x)
	}
	return starlark.NewList(vals)
}
