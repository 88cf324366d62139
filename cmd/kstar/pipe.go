package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/term"

	"github.com/kstar-dev/kstar/builtins/kafka"
	"github.com/kstar-dev/kstar/pipeline"
	"github.com/kstar-dev/kstar/runtime"
)

const pipeUsage = `usage: kstar pipe --from TOPIC[,TOPIC...] --to TOPIC [flags] SCRIPT

Consumes the --from topics, calls SCRIPT's process(record) for each record
and produces what it returns to --to (or to the topic a returned record
names), committing offsets only once the results are acknowledged: at least
once, so a pipe killed and restarted loses nothing. process returns None
(drop), a record (record._replace(value=...)), a dict (topic, key, value,
headers, partition, timestamp) or a list of them. SCRIPT may import modules
from its own directory. On a terminal a progress line shows records/s and lag.

Calls run one at a time and may keep state in globals (a counter, a set of
keys seen) for the next calls of this process; with --parallelism N > 1 they
run at once and the script's globals are frozen.

With --exactly-once, each round's results and consumed offsets are committed
in one transaction: a read_committed consumer of the output sees each result
once, across crashes and rebalances.

flags:
`

// pipeCmd implements `kstar pipe`.
func pipeCmd(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("kstar pipe", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, pipeUsage); fs.PrintDefaults() }
	from := fs.String("from", "", "`TOPICS` to consume, comma-separated (required)")
	to := fs.String("to", "", "`TOPIC` for the records process returns without naming another (required)")
	group := fs.String("group", "", "consumer `GROUP` whose committed offsets are the pipe's progress (default kstar-pipe-SCRIPTNAME)")
	bootstrap := fs.String("bootstrap-servers", os.Getenv("KSTAR_BOOTSTRAP_SERVERS"), "`HOSTS` of the cluster (env KSTAR_BOOTSTRAP_SERVERS; default localhost:9092)")
	function := fs.String("function", "process", "`NAME` of the script's function")
	batch := fs.Bool("batch", false, "call the function once per batch with a list of records, instead of once per record")
	parallelism := intFlag(fs, "parallelism", 1, 1, math.MaxInt, "`N` calls at once (the output keeps the input's order); above 1, the script's globals are frozen")
	maxPoll := intFlag(fs, "max-poll-records", 10000, 1, math.MaxInt, "at most `N` records per round (poll, process, produce, commit)")
	fromEnd := fs.Bool("from-end", false, "a new group starts at the end of the topics (default: their beginning)")
	idleExit := fs.Duration("idle-exit", 0, "exit once caught up (lag 0) and no record came for `DURATION` (default: run until interrupted)")
	progress := fs.String("progress", "auto", "progress line on stderr: auto (on a terminal), always or never")
	delivery := addDeliveryFlags(fs)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	usageError := func(format string, args ...any) int {
		fmt.Fprintf(stderr, "kstar pipe: "+format+"\n", args...)
		fs.Usage()
		return exitUsage
	}
	switch {
	case fs.NArg() != 1:
		return usageError("want one SCRIPT, got %d arguments", fs.NArg())
	case *from == "":
		return usageError("--from is required")
	case *to == "":
		return usageError("--to is required")
	case *idleExit < 0:
		return usageError("--idle-exit must not be negative, not %v", *idleExit)
	case *progress != "auto" && *progress != "always" && *progress != "never":
		return usageError("--progress must be auto, always or never, not %q", *progress)
	}
	if err := delivery.check(); err != nil {
		return usageError("%v", err)
	}
	script := fs.Arg(0)
	if *group == "" {
		base := filepath.Base(script)
		*group = "kstar-pipe-" + strings.TrimSuffix(base, filepath.Ext(base))
	}
	if *bootstrap == "" {
		*bootstrap = kafka.DefaultBootstrapServers
	}
	src, err := os.ReadFile(script)
	if err != nil {
		fmt.Fprintf(stderr, "kstar: can't open file '%s': %v\n", script, unwrapPathError(err))
		return exitUsage
	}

	ctx, stop := interruptContext()
	defer stop()
	opts := []runtime.Option{
		runtime.WithStdout(stdout), runtime.WithStderr(stderr), runtime.WithOSEnviron(), runtime.WithHostAccess(), runtime.WithoutLimits(),
		runtime.WithBootstrapServers(*bootstrap),
		runtime.WithLoadDir(filepath.Dir(script)),
	}
	if *parallelism > 1 {
		// Calls that share mutable globals would take turns anyway: N of
		// them at once need frozen globals.
		opts = append(opts, runtime.WithParallelCalls())
	}
	rt := runtime.New(opts...)
	s, err := rt.Load(ctx, script, src)
	if err != nil {
		printScriptError(stderr, err)
		return runtime.ExitCode(err)
	}
	defer s.Close()
	if !s.HasFunction(*function) {
		fmt.Fprintf(stderr, "kstar pipe: %s defines no function %s()\n", script, *function)
		return exitUsage
	}
	cfg := pipeline.Config{
		Brokers:        splitList(*bootstrap),
		From:           splitList(*from),
		To:             *to,
		Group:          *group,
		Parallelism:    *parallelism,
		MaxPollRecords: *maxPoll,
		FromEnd:        *fromEnd,
	}
	defer delivery.apply(&cfg, script)()
	if *batch {
		cfg.Batch = pipeline.ScriptBatch(s, *function)
	} else {
		cfg.Transform = pipeline.Script(s, *function)
	}
	p, err := pipeline.New(cfg)
	if err != nil {
		fmt.Fprintf(stderr, "kstar %v\n", err)
		return exitUsage
	}
	defer p.Close()

	// Ctrl-C and SIGTERM stop the pipe; for the script they are not a
	// KeyboardInterrupt (the pipe ends with exit 0, not 130).
	runCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	defer cancel()
	defer context.AfterFunc(ctx, cancel)()
	showProgress := *progress == "always" || *progress == "auto" && isTerminalWriter(stderr)
	done := make(chan struct{})
	go watch(runCtx, p, stderr, showProgress, *idleExit, cancel, done)
	err = p.Run(runCtx)
	cancel()
	<-done
	fmt.Fprintf(stderr, "kstar pipe: %s\n", summary(p.Stats()))
	switch {
	case err == nil, errors.Is(err, context.Canceled) && runCtx.Err() != nil:
		// Stopped by --idle-exit, Ctrl-C or SIGTERM: what was produced is
		// committed, or will be processed again by the next run.
		return exitOK
	}
	printScriptError(stderr, err)
	return exitScriptError
}

// printScriptError prints a script's traceback, or another error.
func printScriptError(w io.Writer, err error) {
	var se *runtime.ScriptError
	if errors.As(err, &se) {
		fmt.Fprint(w, se.Traceback())
		return
	}
	fmt.Fprintf(w, "kstar %v\n", err)
}

// watch updates the progress line every second (when show is set) and
// cancels the run once it has been idle and caught up for idle (when
// positive): this member has had no record for idle, and the group has
// committed all records of the --from topics. It closes done when ctx ends, after erasing the line.
func watch(ctx context.Context, p *pipeline.Pipeline, w io.Writer, show bool, idle time.Duration, cancel func(), done chan<- struct{}) {
	defer close(done)
	interval := time.Second
	if idle > 0 && idle < 4*interval {
		interval = max(idle/4, 10*time.Millisecond)
	}
	tick := time.NewTicker(interval)
	defer tick.Stop()
	last, lastAt := p.Stats(), time.Now()
	shown := false
	for {
		select {
		case <-ctx.Done():
			if shown {
				fmt.Fprint(w, "\r\033[K")
			}
			return
		case now := <-tick.C:
			st := p.Stats()
			if show {
				rate := float64(st.Consumed-last.Consumed) / now.Sub(lastAt).Seconds()
				fmt.Fprintf(w, "\r\033[K%s", progressLine(st, rate))
				shown = true
				last, lastAt = st, now
			}
			// Idle: the group has assigned partitions and, since then
			// and since the latest record, nothing came.
			since := st.LastRecord
			if st.Assigned.After(since) {
				since = st.Assigned
			}
			if idle > 0 && !st.Assigned.IsZero() && st.Lag <= 0 && now.Sub(since) >= idle && groupCaughtUp(ctx, p) {
				cancel()
			}
		}
	}
}

// groupCaughtUp reports whether the group has committed every record of
// the --from topics, on every partition, whichever member holds it: a
// member caught up on its own partitions must not end the run while
// others' (a crashed member's, not yet reassigned) still lag.
func groupCaughtUp(ctx context.Context, p *pipeline.Pipeline) bool {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	lag, err := p.GroupLag(ctx)
	return err == nil && lag == 0
}

// progressLine is the terminal's progress line.
func progressLine(st pipeline.Stats, rate float64) string {
	lag := "?"
	if st.Lag >= 0 {
		lag = count(st.Lag)
	}
	return fmt.Sprintf("kstar pipe: %s in, %s out, %s rec/s, lag %s", count(st.Consumed), count(st.Produced), count(int64(rate+0.5)), lag)
}

// summary is the line printed when the pipe stops.
func summary(st pipeline.Stats) string {
	s := fmt.Sprintf("%s in, %s out, %s dropped, %s committed", count(st.Consumed), count(st.Produced), count(st.Dropped), count(st.Committed))
	if st.Lag >= 0 {
		s += ", lag " + count(st.Lag)
	}
	return s
}

// count renders n with thousands separators: 12,345.
func count(n int64) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return s
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

func splitList(s string) []string {
	var out []string
	for _, x := range strings.Split(s, ",") {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

func isTerminalWriter(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
