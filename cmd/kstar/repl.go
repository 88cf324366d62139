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
	"time"

	"github.com/chzyer/readline"

	"github.com/kstar-dev/kstar/builtins"
	"github.com/kstar-dev/kstar/builtins/py"
	"github.com/kstar-dev/kstar/runtime"
)

// historyLimit bounds the lines kept in the history file.
const historyLimit = 1000

// replCloseTimeout bounds how long Ctrl-D waits for producers to flush.
const replCloseTimeout = 10 * time.Second

// replCmd runs the interactive REPL on a terminal: Python's prompts, echo
// and tracebacks; Ctrl-C interrupts the running statement; Ctrl-D exits
// after closing the session's clients.
func replCmd(rt *runtime.Runtime, stdin io.Reader, stdout, stderr io.Writer, bootstrap string, embedded bool) int {
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
		bootstrap = builtins.DefaultBootstrapServers
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
		err = execInterruptible(session, src, sigs, stderr)
		// exit(), quit() and sys.exit() end the session, as in Python.
		var exit *py.SystemExit
		if errors.As(err, &exit) {
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
// traceback; Ctrl-C (SIGINT on sigs) while it runs cancels it with
// KeyboardInterrupt and the prompt comes back. A Ctrl-C from before it
// started is dropped.
func execInterruptible(session *runtime.Session, src string, sigs <-chan os.Signal, stderr io.Writer) error {
	select {
	case <-sigs:
	default:
	}
	ctx, cancel := context.WithCancelCause(context.Background())
	defer cancel(nil)
	go func() {
		select {
		case <-sigs:
			cancel(py.ErrKeyboardInterrupt)
		case <-ctx.Done():
		}
	}()
	err := session.Exec(ctx, src)
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
// statement, by Python's interactive rules: open brackets, an unfinished
// triple-quoted string or a trailing backslash continue the statement; a
// compound statement (first line ends with ':') continues until a blank
// line.
func needsMoreInput(lines []string) bool {
	src := strings.Join(lines, "\n")
	depth, inTriple := scanOpen(src)
	if depth > 0 || inTriple || strings.HasSuffix(strings.TrimRight(lines[len(lines)-1], " \t"), "\\") {
		return true
	}
	first := strings.TrimSpace(stripComment(lines[0]))
	if strings.HasSuffix(first, ":") {
		return strings.TrimSpace(lines[len(lines)-1]) != "" || len(lines) == 1
	}
	return false
}

// scanOpen returns the bracket depth at the end of src and whether a
// triple-quoted string is still open, skipping strings and comments.
func scanOpen(src string) (depth int, inTriple bool) {
	for i := 0; i < len(src); i++ {
		c := src[i]
		switch c {
		case '#':
			for i < len(src) && src[i] != '\n' {
				i++
			}
		case '(', '[', '{':
			depth++
		case ')', ']', '}':
			if depth > 0 {
				depth--
			}
		case '\'', '"':
			if strings.HasPrefix(src[i:], strings.Repeat(string(c), 3)) {
				end := strings.Index(src[i+3:], strings.Repeat(string(c), 3))
				if end < 0 {
					return depth, true
				}
				i += 3 + end + 2
				continue
			}
			for i++; i < len(src) && src[i] != c && src[i] != '\n'; i++ {
				if src[i] == '\\' {
					i++
				}
			}
		}
	}
	return depth, false
}

func stripComment(line string) string {
	if _, inTriple := scanOpen(line); inTriple {
		return line
	}
	quote := byte(0)
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case quote != 0 && c == '\\':
			i++
		case quote != 0 && c == quote:
			quote = 0
		case quote == 0 && (c == '\'' || c == '"'):
			quote = c
		case quote == 0 && c == '#':
			return line[:i]
		}
	}
	return line
}
