package time

import (
	"context"
	"testing"
	"time"

	"go.starlark.net/starlark"

	"github.com/kstar-dev/kstar/builtins/py"
	"github.com/kstar-dev/kstar/internal/pytest"
)

// The expected values are CPython 3.11's.
func TestTimeModule(t *testing.T) {
	pytest.RunCases(t, py.NewEnv(), modules(py.NewEnv()), []pytest.Case{
		{`time.gmtime(0)`, `time.struct_time(tm_year=1970, tm_mon=1, tm_mday=1, tm_hour=0, tm_min=0, tm_sec=0, tm_wday=3, tm_yday=1, tm_isdst=0)`},
		{`time.gmtime(86400 * 45 + 3600 * 13 + 0.5).tm_hour`, `13`},
		{`time.strftime('%Y-%m-%d %H:%M:%S %a %A %b %B %j %p %I %y %e %Q %%', time.gmtime(86400 * 45 + 3600 * 13))`,
			`'1970-02-15 13:00:00 Sun Sunday Feb February 046 PM 01 70 15 %Q %'`},
		{`time.strftime('%c|%x|%X|%D|%T|%F|%U|%W|%w|%u|%G|%V|%C|%h|%R|%n|%t|%k|%l|%P', time.gmtime(86400 * 45 + 3600 * 13))`,
			`'Sun Feb 15 13:00:00 1970|02/15/70|13:00:00|02/15/70|13:00:00|1970-02-15|07|06|0|7|1970|07|19|Feb|13:00|\n|\t|13| 1|pm'`},
		{`time.strftime('%Y %m', (2020, 0, 1, 0, 0, 0, 0, 0, 0))`, `'2020 01'`},
		{`time.mktime(time.localtime(1000))`, `1000.0`},
		{`time.monotonic() <= time.monotonic()`, `True`},
		{`time.perf_counter_ns() <= time.perf_counter_ns()`, `True`},
		{`time.sleep(0.001)`, `None`},
		{`time.sleep(0)`, `None`},
		// Errors.
		{`time.sleep('a')`, `TypeError: 'str' object cannot be interpreted as an integer`},
		{`time.sleep(-1)`, `ValueError: sleep length must be non-negative`},
		{`time.sleep(float('nan'))`, `ValueError: Invalid value NaN (not a number)`},
		{`time.strftime(1)`, `TypeError: strftime() argument 1 must be str, not int`},
		{`time.strftime('%Y', (2020, 1, 1))`, `TypeError: strftime(): illegal time tuple argument`},
		{`time.strftime('%Y', (2020, 13, 1, 0, 0, 0, 0, 1, 0))`, `ValueError: month out of range`},
		{`time.gmtime('x')`, `TypeError: 'str' object cannot be interpreted as an integer`},
	})
}

func TestTimeClocks(t *testing.T) {
	env := py.NewEnv()
	now, err := pytest.Eval(env, modules(env), `time.time()`)
	if f, ok := now.(starlark.Float); err != nil || !ok || f < 1.6e9 {
		t.Errorf("time.time() = %v, %v; want a float of seconds since the epoch", now, err)
	}
	ns, err := pytest.Eval(env, modules(env), `time.time_ns()`)
	if i, ok := ns.(starlark.Int); err != nil || !ok || i.Sign() <= 0 {
		t.Errorf("time.time_ns() = %v, %v; want a positive int", ns, err)
	} else if n, _ := i.Int64(); time.Duration(n-time.Now().UnixNano()).Abs() > time.Minute {
		t.Errorf("time.time_ns() = %d is not now", n)
	}
	mono, err := pytest.Eval(env, modules(env), `time.monotonic()`)
	if _, ok := mono.(starlark.Float); err != nil || !ok {
		t.Errorf("time.monotonic() = %v, %v; want a float", mono, err)
	}
}

// TestTimeSleepInterrupted checks that sleep returns promptly, with the
// interruption's exception, when the execution's context is cancelled.
func TestTimeSleepInterrupted(t *testing.T) {
	for _, c := range []struct {
		name  string
		cause error
		want  string
	}{
		{"ctrl-c", py.ErrKeyboardInterrupt, "KeyboardInterrupt"},
		{"deadline", context.DeadlineExceeded, "TimeoutError: execution deadline exceeded"},
	} {
		t.Run(c.name, func(t *testing.T) {
			ctx, cancel := context.WithCancelCause(context.Background())
			env := py.NewEnv()
			env.SetContext(ctx)
			time.AfterFunc(20*time.Millisecond, func() { cancel(c.cause) })
			start := time.Now()
			_, err := pytest.Eval(env, modules(env), `time.sleep(30)`)
			if elapsed := time.Since(start); elapsed > 2*time.Second {
				t.Errorf("sleep took %v after cancellation", elapsed)
			}
			if got := pytest.Outcome(nil, err); got != c.want {
				t.Errorf("got %s, want %s", got, c.want)
			}
		})
	}
}

func TestStrftimeWeeks(t *testing.T) {
	// 2021-01-03 is a Sunday: week 01 for %U, 00 for %W; ISO week 53 of 2020.
	d := time.Date(2021, 1, 3, 0, 0, 0, 0, time.UTC)
	if got := Strftime("%U %W %V %G %g %u %w %s", d); got != "01 00 53 2020 20 7 0 1609632000" {
		t.Errorf("got %q", got)
	}
	if got := Strftime("100%", d); got != "100%" {
		t.Errorf("a trailing %% must stay: got %q", got)
	}
}

// modules are the modules the tests' expressions use.
func modules(env *py.Env) map[string]starlark.Value {
	return map[string]starlark.Value{"time": New(env)}
}
