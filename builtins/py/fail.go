package py

import "go.starlark.net/starlark"

// failureKey is the thread-local key under which Fail stores its error.
const failureKey = "kstar.failure"

// Fail stops the script running on thread with err. It is for builtins
// that cannot return an error, such as an iterator's Next (Starlark's
// iterators have no error result): Fail records err and cancels the
// thread, so the script stops at its next step, and the runtime reports
// err (with its own call stack) instead of the cancellation. Only the
// first failure is kept. It must be called on the script's thread.
func Fail(thread *starlark.Thread, err error) {
	if thread.Local(failureKey) == nil {
		thread.SetLocal(failureKey, err)
	}
	thread.Cancel(err.Error())
}

// TakeFailure returns the error that Fail recorded on thread, if any, and
// forgets it. The runtime calls it when an execution ends.
func TakeFailure(thread *starlark.Thread) error {
	err, _ := thread.Local(failureKey).(error)
	if err != nil {
		thread.SetLocal(failureKey, nil)
	}
	return err
}
