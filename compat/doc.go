// Package compat proves that kstar behaves like kafka-python 2.0.2 and
// interoperates with other Kafka clients. It has no API, only tests:
//
//   - TestCompat (compat_test.go), the differential harness: every script
//     in testdata/compat/*.py is written in the common subset of Python 3
//     and kstar, and runs twice against the same standalone `kstar broker`,
//     once with CPython + kafka-python 2.0.2 and once with kstar, on fresh
//     topics; the normalised outputs must be identical, and so must the
//     exit status and the traceback's last line of a script that declares
//     it ends with an uncaught exception ("# exit: 1"). It prints
//     "compat: N passed, M failed" and a diff for each failure.
//   - TestCorpus (corpus_test.go): testdata/corpus/*.py, kafka-python
//     scripts written by others (each with its source and edits), run
//     the same way; it prints "corpus: N of M print the same" and fails
//     only when a script's outcome differs from testdata/corpus/STATUS.
//   - TestTutorialScripts (scripts_test.go): every scripts/*.star (the
//     founding tutorial, runnable) against an embedded broker, compared
//     with testdata/tutorial/NAME.golden.
//   - TestInterop* (interop_test.go): records written by kstar are read by
//     kafka-python and kcat, and the other way round, with keys, headers,
//     timestamps, every codec and transactions.
//
// With KSTAR_TEST_BROKERS set (testdata/kafka/ci.sh), all of them run
// against that real cluster instead of `kstar broker` and embedded
// brokers: names get a per-run prefix, and each tutorial script runs on
// the emptied cluster (internal/testbroker.Isolated).
//
// Tests that need python3 + kafka-python or kcat skip with a message
// naming what is missing, except when KSTAR_REQUIRE_PYTHON is set (CI).
package compat
