// The rnnlab language: lexer, parser, interpreter, values, builtins (issue 4).
