"""Commands: the grammar (`parse`), the table of every command (`table`), and the handlers it names, each
imported the first time its command runs."""
