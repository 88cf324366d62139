// Command probe is run-broker.sh's helper for starting a real Kafka broker:
//
//	probe ports N          print N free loopback TCP ports, one a line
//	probe uuid             print a random Kafka cluster id (base64url, 22 chars)
//	probe wait [flags]     wait until the broker answers a metadata request
//
// wait flags: -brokers host:port (PLAINTEXT listener, required),
// -sasl-brokers host:port with -plain user:pass and -scram user:pass (checked
// too when given), -pid N (give up early when that process has exited),
// -timeout (default 60s). It exits 0 once every listener answers.
package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"
	"github.com/twmb/franz-go/pkg/sasl"
	"github.com/twmb/franz-go/pkg/sasl/plain"
	"github.com/twmb/franz-go/pkg/sasl/scram"
)

func main() {
	if len(os.Args) < 2 {
		fail("usage: probe ports N | uuid | wait [flags]")
	}
	switch os.Args[1] {
	case "ports":
		n := 1
		if len(os.Args) > 2 {
			var err error
			if n, err = strconv.Atoi(os.Args[2]); err != nil || n < 1 {
				fail("probe ports: N must be a positive integer")
			}
		}
		printPorts(n)
	case "uuid":
		// Like Kafka's Uuid.randomUuid: never one starting with '-', which
		// command-line parsers would take for an option.
		for {
			var b [16]byte
			_, _ = rand.Read(b[:])
			if s := base64.RawURLEncoding.EncodeToString(b[:]); s[0] != '-' {
				fmt.Println(s)
				break
			}
		}
	case "wait":
		wait(os.Args[2:])
	default:
		fail("probe: unknown command " + os.Args[1])
	}
}

// printPorts prints n distinct free ports: all n are bound at once, so
// none repeats, then released for the broker to take.
func printPorts(n int) {
	var ls []net.Listener
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			fail("probe ports: " + err.Error())
		}
		ls = append(ls, l)
	}
	for _, l := range ls {
		fmt.Println(l.Addr().(*net.TCPAddr).Port)
		l.Close()
	}
}

func wait(args []string) {
	fs := flag.NewFlagSet("wait", flag.ExitOnError)
	brokers := fs.String("brokers", "", "PLAINTEXT bootstrap host:port")
	saslBrokers := fs.String("sasl-brokers", "", "SASL_PLAINTEXT bootstrap host:port")
	plainUser := fs.String("plain", "", "PLAIN user:password for -sasl-brokers")
	scramUser := fs.String("scram", "", "SCRAM-SHA-256 user:password for -sasl-brokers")
	pid := fs.Int("pid", 0, "broker process id; stop waiting if it exits")
	timeout := fs.Duration("timeout", 60*time.Second, "how long to wait")
	_ = fs.Parse(args)
	if *brokers == "" {
		fail("probe wait: -brokers is required")
	}
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()

	checks := []check{{"PLAINTEXT " + *brokers, []kgo.Opt{kgo.SeedBrokers(*brokers)}}}
	if *saslBrokers != "" {
		if u, p, ok := strings.Cut(*plainUser, ":"); ok {
			m := plain.Auth{User: u, Pass: p}.AsMechanism()
			checks = append(checks, check{"SASL PLAIN " + *saslBrokers, saslOpts(*saslBrokers, m)})
		}
		if u, p, ok := strings.Cut(*scramUser, ":"); ok {
			m := scram.Auth{User: u, Pass: p}.AsSha256Mechanism()
			checks = append(checks, check{"SASL SCRAM-SHA-256 " + *saslBrokers, saslOpts(*saslBrokers, m)})
		}
	}
	for _, c := range checks {
		if err := waitOne(ctx, *pid, c.opts); err != nil {
			fail(fmt.Sprintf("probe wait: %s: %v", c.name, err))
		}
	}
}

// check is one listener (and login) to wait for.
type check struct {
	name string
	opts []kgo.Opt
}

func saslOpts(seed string, m sasl.Mechanism) []kgo.Opt {
	return []kgo.Opt{kgo.SeedBrokers(seed), kgo.SASL(m)}
}

// waitOne retries a metadata request until it lists a broker and a
// controller, the context ends, or the broker process exits.
func waitOne(ctx context.Context, pid int, opts []kgo.Opt) error {
	var last error
	for {
		if pid > 0 && syscall.Kill(pid, 0) != nil {
			return fmt.Errorf("broker process %d exited (last error: %v)", pid, last)
		}
		last = metadataOnce(ctx, opts)
		if last == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("timed out; last error: %v", last)
		case <-time.After(200 * time.Millisecond):
		}
	}
}

func metadataOnce(ctx context.Context, opts []kgo.Opt) error {
	cl, err := kgo.NewClient(append(opts, kgo.RequestRetries(0), kgo.RetryTimeout(time.Second))...)
	if err != nil {
		return err
	}
	defer cl.Close()
	rctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	req := kmsg.NewPtrMetadataRequest()
	resp, err := req.RequestWith(rctx, cl)
	if err != nil {
		return err
	}
	if len(resp.Brokers) == 0 || resp.ControllerID < 0 {
		return errors.New("metadata lists no broker or no controller yet")
	}
	return nil
}

func fail(msg string) {
	fmt.Fprintln(os.Stderr, msg)
	os.Exit(1)
}
