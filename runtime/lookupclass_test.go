package runtime

import (
	"testing"

	"github.com/kstar-dev/kstar/builtins/kafka"
	"github.com/kstar-dev/kstar/builtins/py"
)

// TestExceptionClassTablesDisjoint: lookupClass searches Python's classes,
// kafka.errors' and the modules' in turn, which finds what one shared table
// found only while no name is in two of them.
func TestExceptionClassTablesDisjoint(t *testing.T) {
	kafkaNames := kafka.KafkaMemberNames("kafka.errors")
	if len(kafkaNames) < 100 {
		t.Fatalf("kafka.errors has %d members", len(kafkaNames))
	}
	for _, name := range kafkaNames {
		c := kafka.LookupErrorClass(name)
		if c == nil {
			t.Errorf("kafka.errors.%s is not found by LookupErrorClass", name)
		}
		if py.LookupExceptionClass(name) != nil {
			t.Errorf("%s is both Python's and kafka.errors'", name)
		}
		if lookupClass(name) != c {
			t.Errorf("lookupClass(%q) is not kafka.errors'", name)
		}
	}
	for _, c := range libClasses {
		if py.LookupExceptionClass(c.ClassName) != nil || kafka.LookupErrorClass(c.ClassName) != nil {
			t.Errorf("%s.%s has a namesake in another table", c.Module, c.ClassName)
		}
		if lookupClass(c.ClassName) != c {
			t.Errorf("lookupClass(%q) is not %s's", c.ClassName, c.Module)
		}
	}
	for _, name := range []string{"ValueError", " KeyError", "PermissionError", "CancelledError"} {
		if c := lookupClass(name); c == nil || c.Module != "builtins" {
			t.Errorf("lookupClass(%q) = %v", name, c)
		}
	}
}
