package builtins

import (
	"context"
	"os"
	"testing"

	"go.starlark.net/starlark"
)

func TestAdminScratch(t *testing.T) {
	src, _ := os.ReadFile("/tmp/adm/s.star")
	r := newScriptRun(testBootstrap(t))
	r.extra = starlark.StringDict{}
	for _, n := range KafkaMemberNames("kafka.admin") {
		r.extra[n] = kafkaMembers["kafka.admin"][n]
	}
	err := r.exec(context.Background(), string(src))
	out := r.out.String()
	if err != nil {
		out += "ERROR " + errorLine(err) + "\n"
	}
	t.Log("\n" + out)
}
