// Command kstar runs Python-looking Kafka scripts: kafka-python's
// KafkaProducer and KafkaConsumer on franz-go, in one binary.
//
//	kstar [flags] FILE [ARGS...]   run a script (sys.argv = [FILE, ARGS...])
//	kstar [flags] -c CODE [ARGS...] run CODE
//	kstar [flags] -                run the script on stdin
//	kstar [flags]                  REPL on a terminal, else run stdin
//	kstar check FILE...            parse and resolve without running
//	kstar broker [flags]           run the embedded broker in the foreground
//	kstar pipe [flags] SCRIPT      run SCRIPT's process(record) from topics to a topic
//	kstar version                  print the version (also --version, -V)
package main

import (
	"os"
)

func main() {
	os.Exit(Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
