"""Pure parsers, one module per source: text in, typed rows and `ParseError`s (with line numbers) out."""
