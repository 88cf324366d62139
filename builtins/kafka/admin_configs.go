package kafka

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"time"

	"github.com/twmb/franz-go/pkg/kmsg"
	"go.starlark.net/starlark"

	"github.com/kstar-dev/kstar/builtins/py"
)

// describe_configs(config_resources, include_synonyms=False) returns a
// list of DescribeConfigsResponse_v2(...), as kafka-python 2.0.2: one per
// broker resource (each asked of that broker), then one for all topic
// resources. A resource's configs, when given, restricts the names
// returned; entries are sorted by name. Errors are in the resources'
// error_code, not raised.
func (a *KafkaAdminClient) pyDescribeConfigs(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var resources starlark.Value
	var synonyms bool
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "config_resources", &resources, "include_synonyms?", &synonyms); err != nil {
		return nil, py.NewException(py.TypeError, err.Error())
	}
	rs, err := configResources("describe_configs()", resources)
	if err != nil {
		return nil, err
	}
	var brokerReqs []*kmsg.DescribeConfigsRequest
	topicReq := kmsg.NewPtrDescribeConfigsRequest()
	topicReq.IncludeSynonyms = synonyms
	for _, r := range rs {
		rr := kmsg.NewDescribeConfigsRequestResource()
		rr.ResourceType = kmsg.ConfigResourceType(r.rtype.value)
		rr.ResourceName = r.name
		names, err := configNames(r.configs)
		if err != nil {
			return nil, err
		}
		rr.ConfigNames = names
		if r.rtype.name == "BROKER" {
			req := kmsg.NewPtrDescribeConfigsRequest()
			req.IncludeSynonyms = synonyms
			req.Resources = append(req.Resources, rr)
			brokerReqs = append(brokerReqs, req)
			continue
		}
		if err := a.env.CheckTopic(r.name); err != nil {
			return nil, err
		}
		topicReq.Resources = append(topicReq.Resources, rr)
	}
	reqs := brokerReqs
	if len(topicReq.Resources) > 0 {
		reqs = append(reqs, topicReq)
	}
	var resps []*kmsg.DescribeConfigsResponse
	if err := a.do(thread, b.Name(), 0, func(ctx context.Context) error {
		for _, req := range reqs {
			resp, err := req.RequestWith(ctx, a.cl)
			if err != nil {
				return err
			}
			resps = append(resps, resp)
		}
		return nil
	}); err != nil {
		return nil, err
	}
	out := make([]starlark.Value, len(resps))
	for i, resp := range resps {
		var resItems []starlark.Tuple
		for _, r := range resp.Resources {
			entries := append([]kmsg.DescribeConfigsResponseResourceConfig(nil), r.Configs...)
			sort.SliceStable(entries, func(i, j int) bool { return entries[i].Name < entries[j].Name })
			var entryItems []starlark.Tuple
			for _, c := range entries {
				var syns []starlark.Tuple
				for _, s := range c.ConfigSynonyms {
					if !synonyms {
						break // kfake sends them unasked
					}
					syns = append(syns, starlark.Tuple{starlark.String(s.Name), strOrNone(s.Value), starlark.MakeInt(int(s.Source))})
				}
				entryItems = append(entryItems, starlark.Tuple{starlark.String(c.Name), strOrNone(c.Value), starlark.Bool(c.ReadOnly),
					starlark.MakeInt(int(c.Source)), starlark.Bool(c.IsSensitive), tupleList(syns)})
			}
			resItems = append(resItems, starlark.Tuple{starlark.MakeInt(int(r.ErrorCode)), strOrNone(r.ErrorMessage),
				starlark.MakeInt(int(r.ResourceType)), starlark.String(r.ResourceName), tupleList(entryItems)})
		}
		out[i] = newProtoStruct(describeConfigsResponseSchema, starlark.MakeInt(int(resp.ThrottleMillis)), tupleList(resItems))
	}
	return starlark.NewList(out), nil
}

// alter_configs(config_resources) sets each resource's configs with
// Kafka's AlterConfigs, as kafka-python 2.0.2: the given configs replace
// every dynamic config of the resource (one not given returns to its
// default). Broker resources go to their broker. It returns
// AlterConfigsResponse_v1(...); errors are in the resources' error_code,
// not raised.
func (a *KafkaAdminClient) pyAlterConfigs(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var resources starlark.Value
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "config_resources", &resources); err != nil {
		return nil, py.NewException(py.TypeError, err.Error())
	}
	rs, err := configResources("alter_configs()", resources)
	if err != nil {
		return nil, err
	}
	req := kmsg.NewPtrAlterConfigsRequest()
	for _, r := range rs {
		if r.rtype.name == "TOPIC" {
			if err := a.env.CheckTopic(r.name); err != nil {
				return nil, err
			}
		}
		configs := r.configs
		if configs == starlark.None {
			configs = starlark.NewDict(0)
		}
		pairs, err := configPairs("alter_configs() ConfigResource configs", configs)
		if err != nil {
			return nil, err
		}
		rr := kmsg.NewAlterConfigsRequestResource()
		rr.ResourceType = kmsg.ConfigResourceType(r.rtype.value)
		rr.ResourceName = r.name
		for _, p := range pairs {
			c := kmsg.NewAlterConfigsRequestResourceConfig()
			c.Name, c.Value = p.name, p.value
			rr.Configs = append(rr.Configs, c)
		}
		req.Resources = append(req.Resources, rr)
	}
	var resp *kmsg.AlterConfigsResponse
	if err := a.do(thread, b.Name(), 0, func(ctx context.Context) (err error) {
		if resp, err = req.RequestWith(ctx, a.cl); err != nil {
			return err
		}
		a.awaitConfigs(ctx, req, resp)
		return nil
	}); err != nil {
		return nil, err
	}
	var items []starlark.Tuple
	for _, r := range resp.Resources {
		items = append(items, starlark.Tuple{starlark.MakeInt(int(r.ErrorCode)), strOrNone(r.ErrorMessage),
			starlark.MakeInt(int(r.ResourceType)), starlark.String(r.ResourceName)})
	}
	return newProtoStruct(alterConfigsResponseSchema, starlark.MakeInt(int(resp.ThrottleMillis)), tupleList(items)), nil
}

// awaitConfigs waits (every 50 ms, at most request_timeout_ms) until
// describing each successfully altered resource shows the new state: the
// given values, and no other config set at the resource's own level.
// Brokers apply dynamic broker configs asynchronously; without the wait
// the next describe_configs could still show the old values. It is best
// effort, as awaitMetadata.
func (a *KafkaAdminClient) awaitConfigs(ctx context.Context, req *kmsg.AlterConfigsRequest, resp *kmsg.AlterConfigsResponse) {
	ok := map[string]bool{}
	for _, r := range resp.Resources {
		if r.ErrorCode == 0 {
			ok[fmt.Sprint(r.ResourceType, "/", r.ResourceName)] = true
		}
	}
	ctx, cancel := context.WithTimeout(ctx, a.requestTimeout)
	defer cancel()
	for _, rr := range req.Resources {
		if !ok[fmt.Sprint(rr.ResourceType, "/", rr.ResourceName)] {
			continue
		}
		want := map[string]*string{}
		for _, c := range rr.Configs {
			want[c.Name] = c.Value
		}
		own := kmsg.ConfigSourceDynamicTopicConfig
		if rr.ResourceType == kmsg.ConfigResourceTypeBroker {
			own = kmsg.ConfigSourceDynamicBrokerConfig
		}
		dreq := kmsg.NewPtrDescribeConfigsRequest()
		dr := kmsg.NewDescribeConfigsRequestResource()
		dr.ResourceType, dr.ResourceName = rr.ResourceType, rr.ResourceName
		dreq.Resources = append(dreq.Resources, dr)
		for {
			if d, err := dreq.RequestWith(ctx, a.cl); err == nil && len(d.Resources) == 1 && configsApplied(d.Resources[0], want, own) {
				break
			}
			select {
			case <-ctx.Done():
				return
			case <-time.After(50 * time.Millisecond):
			}
		}
	}
}

// configsApplied reports whether a described resource shows the wanted
// values and no other config from the resource's own level.
func configsApplied(r kmsg.DescribeConfigsResponseResource, want map[string]*string, own kmsg.ConfigSource) bool {
	if r.ErrorCode != 0 {
		return false
	}
	for _, c := range r.Configs {
		v, given := want[c.Name]
		switch {
		case given && v != nil && !c.IsSensitive && (c.Value == nil || *c.Value != *v):
			return false
		case !given && c.Source == own:
			return false
		}
	}
	return true
}

// configResource is a parsed ConfigResource.
type configResource struct {
	rtype   *EnumMember
	name    string
	configs starlark.Value
}

func configResources(fn string, v starlark.Value) ([]configResource, error) {
	iter, ok := listIter(v)
	if !ok {
		return nil, py.Errorf(py.TypeError, "%s config_resources must be a list of ConfigResource, not %s", fn, py.TypeName(v))
	}
	defer iter.Done()
	var out []configResource
	var x starlark.Value
	for iter.Next(&x) {
		o, ok := asAdminObject(x, ConfigResourceClass)
		if !ok {
			return nil, py.Errorf(py.TypeError, "%s config_resources must be a list of ConfigResource, not a list of %s", fn, py.TypeName(x))
		}
		rt, err := configResourceType(o.get("resource_type"))
		if err != nil {
			return nil, err
		}
		name, ok := o.get("name").(starlark.String)
		if !ok {
			return nil, py.Errorf(py.TypeError, "ConfigResource name must be str, not %s", py.TypeName(o.get("name")))
		}
		if rt.name == "BROKER" {
			if _, err := strconv.Atoi(string(name)); err != nil {
				return nil, py.NewException(py.ValueError, "Broker resource names must be an integer or a string represented integer")
			}
		}
		out = append(out, configResource{rtype: rt, name: string(name), configs: o.get("configs")})
	}
	return out, nil
}

// configNames reads describe_configs' filter: the keys of a dict, or a
// list of names; None (or empty) asks for every config, as kafka-python.
func configNames(v starlark.Value) ([]string, error) {
	switch x := v.(type) {
	case starlark.NoneType:
		return nil, nil
	case *starlark.Dict:
		var names []string
		for _, k := range x.Keys() {
			s, ok := k.(starlark.String)
			if !ok {
				return nil, py.Errorf(py.TypeError, "ConfigResource configs keys must be str, not %s", py.TypeName(k))
			}
			names = append(names, string(s))
		}
		return names, nil
	}
	names, err := stringsArg("ConfigResource configs", v)
	if len(names) == 0 {
		names = nil
	}
	return names, err
}
