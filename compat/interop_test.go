package compat

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/kstar-dev/kstar/internal/golden"
	"github.com/kstar-dev/kstar/internal/testenv"
)

// codecs are kafka-python's compression_type values (none = None) with
// their wire ids.
var codecs = []struct {
	name string
	id   uint8
}{{"none", 0}, {"gzip", 1}, {"snappy", 2}, {"lz4", 3}, {"zstd", 4}}

// interopClient writes and reads the interop records with one Kafka
// client: kstar, kafka-python or kcat.
type interopClient struct {
	name string
	// write produces the four interop records (see testdata/interop/
	// write.py) to partition 0 of topic.
	write func(t *testing.T, bootstrap, topic, codec string)
	// read returns the records of partition 0 in kcat's '%p %o %T %k %s %h'
	// format.
	read func(t *testing.T, bootstrap, topic string, n int) string
	// explicitTimestamps is false for kcat, which cannot set them.
	explicitTimestamps bool
}

func kstarClient() interopClient {
	return interopClient{
		name: "kstar",
		write: func(t *testing.T, bootstrap, topic, codec string) {
			mustRun(t, "kstar", kstarBin, "../testdata/interop/write.py", bootstrap, topic, codec)
		},
		read: func(t *testing.T, bootstrap, topic string, n int) string {
			return mustRun(t, "kstar", kstarBin, "../testdata/interop/read.py", bootstrap, topic, fmt.Sprint(n))
		},
		explicitTimestamps: true,
	}
}

func pythonClient() interopClient {
	return interopClient{
		name: "kafka-python",
		write: func(t *testing.T, bootstrap, topic, codec string) {
			python := python(t)
			mustRun(t, "kafka-python", python, "../testdata/interop/write.py", bootstrap, topic, codec)
		},
		read: func(t *testing.T, bootstrap, topic string, n int) string {
			python := python(t)
			return mustRun(t, "kafka-python", python, "../testdata/interop/read.py", bootstrap, topic, fmt.Sprint(n))
		},
		explicitTimestamps: true,
	}
}

// kcatFormat is how every reader prints a record; -Z prints a missing key
// or value as NULL.
const kcatFormat = "%p %o %T %k %s %h\n"

func kcatClient() interopClient {
	return interopClient{
		name: "kcat",
		write: func(t *testing.T, bootstrap, topic, codec string) {
			kcat := testenv.Command(t, "kcat")
			// A line without the key delimiter is a record without a key.
			var in strings.Builder
			for i, key := range interopKeys {
				if key != "" {
					in.WriteString(key + "|")
				}
				in.WriteString(interopValue(i, codec) + "\n")
			}
			args := []string{"-P", "-b", bootstrap, "-t", topic, "-p", "0", "-K", "|", "-H", "h1=a", "-H", "h2=b"}
			if codec != "none" {
				args = append(args, "-z", codec)
			}
			mustRunStdin(t, "kcat", in.String(), kcat, args...)
		},
		read: func(t *testing.T, bootstrap, topic string, n int) string {
			kcat := testenv.Command(t, "kcat")
			return mustRun(t, "kcat", kcat, "-C", "-b", bootstrap, "-t", topic, "-p", "0", "-o", "beginning", "-e", "-Z", "-q", "-f", kcatFormat)
		},
	}
}

// interopKeys are the keys of the four records ("" = no key).
var interopKeys = []string{"k0", "", "k2", "k3"}

// interopValue is the value of record i: compressible, so every client
// really compresses it.
func interopValue(i int, codec string) string {
	return fmt.Sprintf("value-%d-%s-", i, codec) + strings.Repeat("abcdefgh", 40)
}

// expectedRecords is what any reader must print for the records a writer
// produced; timestamps are <TIMESTAMP> unless the writer set them.
func expectedRecords(codec string, explicitTimestamps bool) string {
	var b strings.Builder
	for i, key := range interopKeys {
		if key == "" {
			key = "NULL"
		}
		ts := "<TIMESTAMP>"
		if explicitTimestamps {
			ts = fmt.Sprint(1000 + i)
		}
		fmt.Fprintf(&b, "0 %d %s %s %s h1=a,h2=b\n", i, ts, key, interopValue(i, codec))
	}
	return b.String()
}

// TestInterop writes records with each client (kstar, kafka-python 2.0.2,
// kcat) and each codec (none, gzip, snappy, lz4, zstd) to the standalone
// `kstar broker` (or the real cluster of KSTAR_TEST_BROKERS), checks on the wire that the batches carry that codec,
// and reads them back with every client: keys, values, headers and
// timestamps must arrive intact whoever wrote and whoever reads.
func TestInterop(t *testing.T) {
	clients := []interopClient{kstarClient(), pythonClient(), kcatClient()}
	for _, writer := range clients {
		t.Run("from_"+writer.name, func(t *testing.T) {
			t.Parallel()
			for _, codec := range codecs {
				t.Run(codec.name, func(t *testing.T) {
					t.Parallel()
					bootstrap := cluster(t)
					topic := runPrefix + fmt.Sprintf("interop-%s-%s", strings.ReplaceAll(writer.name, "-", ""), codec.name)
					createTopics(t, bootstrap, map[string]int32{topic: 1})
					writer.write(t, bootstrap, topic, codec.name)
					checkCodec(t, bootstrap, topic, codec.id, len(interopKeys))
					want := expectedRecords(codec.name, writer.explicitTimestamps)
					for _, reader := range clients {
						t.Run("to_"+reader.name, func(t *testing.T) {
							got := golden.Normalise(reader.read(t, bootstrap, topic, len(interopKeys)))
							if got != want {
								t.Errorf("%s read what %s wrote with %s differently:\n%s", reader.name, writer.name, codec.name, golden.Diff(want, got))
							}
						})
					}
				})
			}
		})
	}
}

// checkCodec reads partition 0 of topic with franz-go and fails unless
// its n records came in batches compressed with the codec of wire id.
func checkCodec(t *testing.T, bootstrap, topic string, id uint8, n int) {
	t.Helper()
	cl, err := kgo.NewClient(
		kgo.SeedBrokers(strings.Split(bootstrap, ",")...),
		kgo.ConsumePartitions(map[string]map[int32]kgo.Offset{topic: {0: kgo.NewOffset().AtStart()}}),
	)
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	seen := 0
	for seen < n {
		fetches := cl.PollFetches(ctx)
		if ctx.Err() != nil {
			t.Fatalf("read %d of %d records of %s with franz-go", seen, n, topic)
		}
		fetches.EachRecord(func(r *kgo.Record) {
			seen++
			if got := r.Attrs.CompressionType(); got != id {
				t.Errorf("record %d of %s is in a batch with codec %d, want %d", r.Offset, topic, got, id)
			}
		})
	}
}

// mustRun runs a client and returns its stdout, failing the test unless it
// exits 0 within a minute.
func mustRun(t *testing.T, who, name string, args ...string) string {
	t.Helper()
	return mustRunStdin(t, who, "", name, args...)
}

func mustRunStdin(t *testing.T, who, stdin, name string, args ...string) string {
	t.Helper()
	r := runStdin(60*time.Second, []string{"KSTAR_BOOTSTRAP_SERVERS="}, stdin, name, args...)
	if r.exit != 0 {
		t.Fatalf("%s %s\nstdout:\n%s", strings.Join(args, " "), r.describe(who), indent(r.stdout))
	}
	return r.stdout
}

// TestInteropTransactions checks transactional records across clients on
// the standalone broker (or the real cluster of KSTAR_TEST_BROKERS): kstar's committed and aborted transactions as
// kcat and kstar see them with isolation.level read_committed and
// read_uncommitted (and as kafka-python 2.0.2, which can only read
// uncommitted and also returns the transaction markers, sees them), and
// kcat's committed transaction as kstar and kafka-python read it.
func TestInteropTransactions(t *testing.T) {
	// What kstar's three transactions (testdata/interop/txn_write.py) leave
	// on partition 0, by offset; each record's header names the
	// transactional id.
	txnKstar, txnKcat := runPrefix+"tx-kstar", runPrefix+"tx-kcat"
	line := func(offset int, value string, ts int) string {
		return fmt.Sprintf("0 %d %d k%s %s txn=%s\n", offset, ts, value, value, txnKstar)
	}
	committed := line(0, "a0", 2000) + line(1, "a1", 2001) + line(6, "c0", 2000)
	everything := line(0, "a0", 2000) + line(1, "a1", 2001) + line(3, "b0", 2000) + line(4, "b1", 2001) + line(6, "c0", 2000)

	t.Run("from_kstar", func(t *testing.T) {
		t.Parallel()
		bootstrap := cluster(t)
		topic := runPrefix + "txn-from-kstar"
		createTopics(t, bootstrap, map[string]int32{topic: 1})
		mustRun(t, "kstar", kstarBin, "../testdata/interop/txn_write.py", bootstrap, topic, txnKstar)
		for _, tc := range []struct {
			reader string
			read   func(t *testing.T) string
			want   string
		}{
			{"kstar_read_committed", func(t *testing.T) string {
				return mustRun(t, "kstar", kstarBin, "../testdata/interop/read.py", bootstrap, topic, "3", "read_committed")
			}, committed},
			{"kstar_read_uncommitted", func(t *testing.T) string {
				return mustRun(t, "kstar", kstarBin, "../testdata/interop/read.py", bootstrap, topic, "5", "read_uncommitted")
			}, everything},
			{"kcat_read_committed", func(t *testing.T) string {
				return kcatRead(t, bootstrap, topic, "read_committed")
			}, committed},
			{"kcat_read_uncommitted", func(t *testing.T) string {
				return kcatRead(t, bootstrap, topic, "read_uncommitted")
			}, everything},
			{"kafka-python", func(t *testing.T) string {
				return withoutMarkers(t, pythonClient().read(t, bootstrap, topic, 8), map[int]bool{2: true, 5: false, 7: true})
			}, everything},
		} {
			t.Run(tc.reader, func(t *testing.T) {
				if got := golden.Normalise(tc.read(t)); got != tc.want {
					t.Errorf("%s read kstar's transactions differently:\n%s", tc.reader, golden.Diff(tc.want, got))
				}
			})
		}
	})

	t.Run("from_kcat", func(t *testing.T) {
		t.Parallel()
		kcat := testenv.Command(t, "kcat")
		bootstrap := cluster(t)
		topic := runPrefix + "txn-from-kcat"
		createTopics(t, bootstrap, map[string]int32{topic: 1})
		mustRunStdin(t, "kcat", "ka|x0\nkb|x1\n", kcat, "-P", "-b", bootstrap, "-t", topic, "-p", "0", "-K", "|",
			"-H", "txn="+txnKcat, "-X", "transactional.id="+txnKcat)
		want := fmt.Sprintf("0 0 <TIMESTAMP> ka x0 txn=%[1]s\n0 1 <TIMESTAMP> kb x1 txn=%[1]s\n", txnKcat)
		for _, tc := range []struct {
			reader string
			read   func(t *testing.T) string
		}{
			{"kstar_read_committed", func(t *testing.T) string {
				return mustRun(t, "kstar", kstarBin, "../testdata/interop/read.py", bootstrap, topic, "2", "read_committed")
			}},
			{"kafka-python", func(t *testing.T) string {
				return withoutMarkers(t, pythonClient().read(t, bootstrap, topic, 3), map[int]bool{2: true})
			}},
		} {
			t.Run(tc.reader, func(t *testing.T) {
				if got := golden.Normalise(tc.read(t)); got != want {
					t.Errorf("%s read kcat's transaction differently:\n%s", tc.reader, golden.Diff(want, got))
				}
			})
		}
	})
}

// withoutMarkers removes from a reader's output the transaction markers
// kafka-python 2.0.2 hands to applications as if they were records (2.1
// skips them): markers maps each marker's offset to true for a commit,
// false for an abort. It fails unless each is there, with the control
// record key of its kind (version 0, type 1 commit or 0 abort).
func withoutMarkers(t *testing.T, out string, markers map[int]bool) string {
	t.Helper()
	var kept strings.Builder
	found := 0
	for _, line := range strings.SplitAfter(out, "\n") {
		var offset int
		if _, err := fmt.Sscanf(line, "0 %d ", &offset); err == nil {
			if commit, ok := markers[offset]; ok {
				key := "\x00\x00\x00\x00"
				if commit {
					key = "\x00\x00\x00\x01"
				}
				if !strings.Contains(line, " "+key+" ") {
					t.Errorf("offset %d should be a transaction marker with key %q: %q", offset, key, line)
				}
				found++
				continue
			}
		}
		kept.WriteString(line)
	}
	if found != len(markers) {
		t.Errorf("found %d transaction markers in kafka-python's output, want %d:\n%s", found, len(markers), out)
	}
	return kept.String()
}

// kcatRead reads partition 0 of topic with kcat at an isolation level.
func kcatRead(t *testing.T, bootstrap, topic, isolation string) string {
	kcat := testenv.Command(t, "kcat")
	return mustRun(t, "kcat", kcat, "-C", "-b", bootstrap, "-t", topic, "-p", "0", "-o", "beginning", "-e", "-Z", "-q",
		"-X", "isolation.level="+isolation, "-f", kcatFormat)
}
