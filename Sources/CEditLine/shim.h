// libedit's native API (Debian libedit-dev). <editline/readline.h>, not GNU readline's header,
// which is installed too; histedit.h declares el_* and history(). The variadic el_set/el_get/
// history calls cannot be made from Swift, so each use gets a small static inline wrapper here.
#include <stdio.h>
#include <editline/readline.h>
#include <histedit.h>
