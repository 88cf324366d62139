package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"golang.org/x/term"

	"github.com/kstar-dev/kstar/broker"
	"github.com/kstar-dev/kstar/builtins/py"
	"github.com/kstar-dev/kstar/frontend/pysyntax"
	"github.com/kstar-dev/kstar/runtime"
)

// Version is kstar's version, printed by `kstar version`.
var Version = "0.1.0"

// Exit codes, as python uses them.
const (
	exitOK          = 0
	exitScriptError = 1
	exitUsage       = 2
	exitInterrupted = 130
)

const usage = `usage: kstar [flags] [FILE | -c CODE | -] [ARGS...]
       kstar check [--ast] FILE...
       kstar broker [--port 9092] [--brokers N] [--partitions N]
       kstar pipe --from TOPIC --to TOPIC [flags] SCRIPT
       kstar version

Runs kafka-python style scripts. With no script, kstar opens a REPL when
stdin is a terminal and runs stdin as a script when it is not.

flags:
`

// Main runs the kstar command line and returns the exit status.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		switch args[0] {
		case "version":
			printVersion(stdout)
			return exitOK
		case "check":
			return checkCmd(args[1:], stdout, stderr)
		case "broker":
			return brokerCmd(args[1:], stdout, stderr)
		case "pipe":
			return pipeCmd(args[1:], stdout, stderr)
		}
	}
	fs := flag.NewFlagSet("kstar", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, usage); fs.PrintDefaults() }
	code := fs.String("c", "", "run `CODE` instead of a file")
	bootstrap := fs.String("bootstrap-servers", os.Getenv("KSTAR_BOOTSTRAP_SERVERS"), "default `HOSTS` for clients that pass no bootstrap_servers (env KSTAR_BOOTSTRAP_SERVERS; default localhost:9092)")
	embedded := fs.Bool("embedded", false, "start an in-process Kafka broker (kfake) for the script")
	embeddedPort := intFlag(fs, "embedded-port", 9092, 0, maxPort, "`PORT` of the embedded broker on 127.0.0.1")
	embeddedPartitions := intFlag(fs, "embedded-partitions", 3, 1, math.MaxInt32, "`N` partitions per topic the embedded broker auto-creates")
	version := fs.Bool("version", false, "print the version, as kstar version does, and exit")
	fs.BoolVar(version, "V", false, "the same as --version")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if *version {
		printVersion(stdout)
		return exitOK
	}
	rest := fs.Args()
	codeGiven := false
	fs.Visit(func(f *flag.Flag) { codeGiven = codeGiven || f.Name == "c" })

	if *embedded {
		b, err := broker.Start(broker.Config{Port: *embeddedPort, Partitions: *embeddedPartitions})
		if err != nil {
			fmt.Fprintf(stderr, "kstar: --embedded: %v (choose another with --embedded-port)\n", err)
			return exitUsage
		}
		defer b.Close()
		if *bootstrap == "" {
			*bootstrap = b.Bootstrap()
		}
	}
	signals := runtime.NewSignals()
	signals.Unhandled = dieBySignal
	opts := []runtime.Option{runtime.WithStdout(stdout), runtime.WithStderr(stderr), runtime.WithOSEnviron(), runtime.WithHostAccess(), runtime.WithStdin(stdin), runtime.WithoutLimits(), runtime.WithSignals(signals)}
	if *bootstrap != "" {
		opts = append(opts, runtime.WithBootstrapServers(*bootstrap))
	}
	rt := runtime.New(opts...)

	var filename string
	var src []byte
	var argv []string
	switch {
	case codeGiven:
		filename, src, argv = "<string>", []byte(*code), append([]string{"-c"}, rest...)
	case len(rest) > 0 && rest[0] != "-":
		data, err := os.ReadFile(rest[0])
		if err != nil {
			fmt.Fprintf(stderr, "kstar: can't open file '%s': %v\n", rest[0], unwrapPathError(err))
			return exitUsage
		}
		filename, src, argv = rest[0], data, rest
	default:
		if len(rest) == 0 && isTerminal(stdin) {
			return replCmd(rt, signals, stdin, stdout, stderr, *bootstrap, *embedded)
		}
		data, err := io.ReadAll(stdin)
		if err != nil {
			fmt.Fprintf(stderr, "kstar: reading stdin: %v\n", err)
			return exitUsage
		}
		filename, src, argv = "<stdin>", data, rest
		if len(argv) == 0 {
			argv = []string{"-"}
		}
	}
	stop := forwardSignals(signals)
	defer stop()
	err := rt.ExecFile(context.Background(), filename, src, argv)
	if err != nil {
		fmt.Fprint(stderr, runtime.FormatError(err))
	}
	return runtime.ExitCode(err)
}

// printVersion prints what `kstar version`, --version and -V print.
func printVersion(stdout io.Writer) {
	fmt.Fprintf(stdout, "kstar %s\n", Version)
}

// forwardSignals sends the script SIGINT, SIGTERM and SIGHUP, as Python
// delivers them: Ctrl-C raises KeyboardInterrupt at the script's next
// safe point (a second one, before the first is delivered, stops it),
// and a signal the script has a handler for runs the handler. A signal
// no running script takes ends kstar by the signal, as it ends CPython:
// SIGTERM and SIGHUP without a handler (no finally block runs, no client
// is closed), Ctrl-C while kstar closes the clients of a script that
// has ended. The function returned stops forwarding.
func forwardSignals(signals *runtime.Signals) func() {
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	done := make(chan struct{})
	go func() {
		for {
			select {
			case sig := <-sigs:
				if s := sig.(syscall.Signal); !signals.Send(s) {
					dieBySignal(s)
				}
			case <-done:
				return
			}
		}
	}()
	return func() { signal.Stop(sigs); close(done) }
}

// dieBySignal ends the process as sig's default action does, so that its
// parent sees it killed by sig (a shell's status 128+sig), as CPython's is.
func dieBySignal(sig syscall.Signal) {
	signal.Reset(sig)
	if self, err := os.FindProcess(os.Getpid()); err == nil {
		_ = self.Signal(sig) // os, not syscall.Kill: this builds where Kill does not exist
	}
	// The signal arrives asynchronously; the exit below is reached only if
	// whoever started kstar made it ignore sig.
	time.Sleep(time.Second)
	os.Exit(128 + int(sig))
}

// interruptContext returns a context cancelled with KeyboardInterrupt on
// SIGINT and SIGTERM: kstar pipe stops between records on either.
func interruptContext() (context.Context, func()) {
	ctx, cancel := context.WithCancelCause(context.Background())
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		select {
		case <-sigs:
			cancel(py.ErrKeyboardInterrupt)
		case <-done:
		}
	}()
	return ctx, func() { signal.Stop(sigs); close(done); cancel(nil) }
}

func unwrapPathError(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

func isTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

func checkCmd(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "--ast" {
		return checkASTCmd(args[1:], stdout, stderr)
	}
	if len(args) == 0 {
		fmt.Fprintln(stderr, "usage: kstar check [--ast] FILE...")
		return exitUsage
	}
	rt := runtime.New()
	status := exitOK
	for _, name := range args {
		data, err := os.ReadFile(name)
		if err != nil {
			fmt.Fprintf(stderr, "kstar: can't open file '%s': %v\n", name, unwrapPathError(err))
			status = exitUsage
			continue
		}
		if err := rt.Check(name, data); err != nil {
			fmt.Fprint(stderr, runtime.FormatError(err))
			status = exitScriptError
		}
	}
	return status
}

// checkASTCmd prints each file's syntax tree as CPython's
// ast.dump(ast.parse(source)) does.
func checkASTCmd(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, "usage: kstar check --ast FILE...")
		return exitUsage
	}
	status := exitOK
	for _, name := range args {
		data, err := os.ReadFile(name)
		if err != nil {
			fmt.Fprintf(stderr, "kstar: can't open file '%s': %v\n", name, unwrapPathError(err))
			status = exitUsage
			continue
		}
		mod, err := pysyntax.Parse(name, data)
		if err != nil {
			fmt.Fprintln(stderr, err)
			status = exitScriptError
			continue
		}
		fmt.Fprintln(stdout, pysyntax.Dump(mod))
	}
	return status
}

func brokerCmd(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("kstar broker", flag.ContinueOnError)
	fs.SetOutput(stderr)
	port := intFlag(fs, "port", 9092, 0, maxPort, "`PORT` of the first broker on 127.0.0.1 (0 picks a free one)")
	brokers := intFlag(fs, "brokers", 1, 1, math.MaxInt, "`N` brokers, on consecutive ports")
	partitions := intFlag(fs, "partitions", 3, 1, math.MaxInt32, "`N` partitions per auto-created topic")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if last := *port + *brokers - 1; *port > 0 && last > maxPort {
		fmt.Fprintf(stderr, "kstar broker: --port %d with --brokers %d needs ports up to %d (at most %d)\n", *port, *brokers, last, maxPort)
		return exitUsage
	}
	b, err := broker.Start(broker.Config{Port: *port, Brokers: *brokers, Partitions: *partitions})
	if err != nil {
		fmt.Fprintf(stderr, "kstar broker: %v\n", err)
		return exitUsage
	}
	defer b.Close()
	fmt.Fprintf(stdout, "kstar broker listening on %s (Ctrl-C to stop)\n", strings.Join(b.Addrs(), ","))
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	<-sigs
	fmt.Fprintln(stdout, "kstar broker stopped")
	return exitOK
}
