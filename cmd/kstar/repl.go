package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/chzyer/readline"

	"github.com/kstar-dev/kstar/builtins/kafka"
	"github.com/kstar-dev/kstar/builtins/py"
	"github.com/kstar-dev/kstar/frontend/pysyntax"
	"github.com/kstar-dev/kstar/runtime"
)

// historyLimit bounds the lines kept in the history file.
const historyLimit = 1000

// replCloseTimeout bounds how long Ctrl-D waits for producers to flush.
const replCloseTimeout = 10 * time.Second

// replCmd runs the interactive REPL on a terminal: Python's prompts, echo
// and tracebacks; Ctrl-C interrupts the running statement; Ctrl-D exits
// after closing the session's clients.
func replCmd(rt *runtime.Runtime, signals *runtime.Signals, stdin io.Reader, stdout, stderr io.Writer, bootstrap string, embedded bool) int {
	session := rt.NewSession([]string{""})
	// SIGINT is caught for the whole session, not only while a statement
	// runs: a Ctrl-C that lands between two statements must not end the
	// REPL (at the prompt readline reads Ctrl-C as a key instead).
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt)
	defer signal.Stop(sigs)
	rl, err := readline.NewEx(&readline.Config{
		Prompt:          ">>> ",
		HistoryFile:     historyFile(),
		HistoryLimit:    historyLimit,
		AutoComplete:    &completer{session: session},
		InterruptPrompt: "^C",
		EOFPrompt:       "",
		Stdin:           io.NopCloser(stdin),
		Stdout:          stdout,
		Stderr:          stderr,
	})
	if err != nil {
		fmt.Fprintf(stderr, "kstar: cannot start the REPL: %v\n", err)
		return exitUsage
	}
	defer rl.Close()
	if bootstrap == "" {
		bootstrap = kafka.DefaultBootstrapServers
	}
	where := ""
	if embedded {
		where = ", embedded broker running"
	}
	fmt.Fprintf(stdout, "kstar %s: kafka-python on franz-go, in Starlark\nbootstrap servers: %s%s\nType help() for help, Ctrl-D to exit.\n", Version, bootstrap, where)

	var lines []string
	for {
		if len(lines) == 0 {
			rl.SetPrompt(">>> ")
		} else {
			rl.SetPrompt("... ")
		}
		line, err := rl.Readline()
		switch {
		case errors.Is(err, readline.ErrInterrupt):
			lines = nil
			fmt.Fprintln(stdout, "KeyboardInterrupt")
			continue
		case errors.Is(err, io.EOF):
			fmt.Fprintln(stdout)
			return closeSession(session, stderr, exitOK)
		case err != nil:
			fmt.Fprintf(stderr, "kstar: %v\n", err)
			return exitScriptError
		}
		lines = append(lines, line)
		src := strings.Join(lines, "\n") + "\n"
		if needsMoreInput(lines) {
			continue
		}
		lines = nil
		if strings.TrimSpace(src) == "" {
			continue
		}
		err = execInterruptible(session, src, sigs, signals, stderr)
		// exit(), quit() and sys.exit() end the session, as in Python.
		var exit *py.SystemExit
		if errors.As(err, &exit) {
			fmt.Fprint(stderr, runtime.FormatError(err)) // exit('message') prints it
			return closeSession(session, stderr, exit.Code)
		}
	}
}

// closeSession flushes the session's producers and closes its clients
// (Ctrl-D, exit()) and returns the exit status.
func closeSession(session *runtime.Session, stderr io.Writer, status int) int {
	if err := session.Close(replCloseTimeout); err != nil {
		fmt.Fprint(stderr, runtime.FormatError(err))
	}
	return status
}

// execInterruptible runs one chunk, printing its error, if any, as a
// traceback; Ctrl-C (SIGINT on sigs) while it runs raises
// KeyboardInterrupt in it, which the chunk may catch, and the prompt comes
// back. A Ctrl-C from before it started is dropped.
func execInterruptible(session *runtime.Session, src string, sigs <-chan os.Signal, signals *runtime.Signals, stderr io.Writer) error {
	select {
	case <-sigs:
	default:
	}
	done := make(chan struct{})
	defer close(done)
	go func() {
		for {
			select {
			case <-sigs:
				signals.Send(syscall.SIGINT)
			case <-done:
				return
			}
		}
	}()
	err := session.Exec(context.Background(), src)
	fmt.Fprint(stderr, runtime.FormatError(err))
	return err
}

// historyFile is ~/.kstar_history, or $KSTAR_HISTORY; KSTAR_HISTORY set
// to "" or "off" disables history.
func historyFile() string {
	if path, ok := os.LookupEnv("KSTAR_HISTORY"); ok {
		if path == "off" {
			return ""
		}
		return path
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return ""
	}
	return filepath.Join(home, ".kstar_history")
}

// needsMoreInput reports whether the lines typed so far are an incomplete
// statement, decided by the parser with Python's interactive rules: an
// open bracket or triple-quoted string, a trailing backslash, or a block
// still expected at the end of the input continue it; a compound
// statement (if, for, def, try, ...) continues until a blank line. Any
// other syntax error ends it, to be reported.
func needsMoreInput(lines []string) bool {
	src := strings.Join(lines, "\n") + "\n"
	lastBlank := strings.TrimSpace(lines[len(lines)-1]) == ""
	mod, err := pysyntax.Parse("<stdin>", []byte(src))
	var perr *pysyntax.Error
	if errors.As(err, &perr) {
		switch {
		case strings.HasSuffix(perr.Msg, "was never closed"),
			strings.HasPrefix(perr.Msg, "unterminated triple-quoted string"),
			perr.Msg == "unexpected EOF while parsing":
			return true
		case perr.Line > len(lines), perr.Msg == "expected 'except' or 'finally' block":
			return !lastBlank // a block or clause may still come
		}
		return false
	}
	if err != nil || len(mod.Body) == 0 {
		return false
	}
	switch mod.Body[0].(type) {
	case *pysyntax.If, *pysyntax.For, *pysyntax.While, *pysyntax.Try, *pysyntax.With,
		*pysyntax.FunctionDef, *pysyntax.ClassDef, *pysyntax.Match:
		return !lastBlank
	}
	return false
}
