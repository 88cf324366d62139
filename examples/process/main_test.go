package main

// The program README.md and docs/embedding.md show, run as they show it.
func Example() {
	main()
	// Output:
	// clean HELLO
}
