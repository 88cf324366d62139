// Command process loads a kstar script once and calls its process
// function for a record, as a Go service does for each record it consumes.
package main

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/kstar-dev/kstar/runtime"
)

const filter = `
def process(record):                     # a kafka-python ConsumerRecord
    if record.value.startswith(b"spam"):
        return None                      # drop it
    return record._replace(topic="clean", value=record.value.decode().upper())
`

func main() {
	ctx := context.Background()
	rt := runtime.New(runtime.WithAllowedTopics("clean"), runtime.WithCallTimeout(time.Second))
	script, err := rt.Load(ctx, "filter.star", []byte(filter))
	if err != nil {
		log.Fatal(err) // a SyntaxError or NameError, with the script's line
	}
	defer script.Close()
	out, err := script.Process(ctx, "process", &kgo.Record{Topic: "raw", Value: []byte("hello")})
	if err != nil {
		log.Fatal(err) // one line, such as filter.star:5: KeyError: 'id' (Traceback() has more)
	}
	for _, r := range out { // none if the script dropped the record, several if it fanned out
		fmt.Printf("%s %s\n", r.Topic, r.Value)
	}
}
