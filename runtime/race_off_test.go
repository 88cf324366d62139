//go:build !race

package runtime_test

// raceDetector reports whether the test binary runs under the race
// detector, whose shadow memory does not fit the hostile host's
// address-space cap.
const raceDetector = false
