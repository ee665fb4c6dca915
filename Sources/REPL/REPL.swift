// The prompt: libedit line editing, history, completion, :commands (issue 4).
