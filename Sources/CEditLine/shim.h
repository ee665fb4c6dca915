// libedit's native API (Debian libedit-dev). <editline/readline.h>, not GNU readline's header,
// which is installed too; histedit.h declares el_* and history(). The variadic el_set/el_get/
// history calls cannot be made from Swift, so each use gets a small static inline wrapper here
// (prefix `rl_shim_`). stdin/stdout/stderr are passed from C: Swift 6 rejects them as shared
// mutable state.
#include <stdio.h>
#include <stdlib.h>
#include <errno.h>
#include <signal.h>
#include <pthread.h>
#include <string.h>
#include <editline/readline.h>
#include <histedit.h>

typedef char *(*rl_shim_prompt_fn)(EditLine *);
typedef unsigned char (*rl_shim_command_fn)(EditLine *, int);

// MARK: - EditLine

static inline EditLine *rl_shim_init(const char *program) {
    return el_init(program, stdin, stdout, stderr);
}

/// The prompt callback; `escape` brackets invisible characters (colour codes) in the prompt.
static inline int rl_shim_set_prompt(EditLine *el, rl_shim_prompt_fn fn, char escape) {
    return el_set(el, EL_PROMPT_ESC, fn, escape);
}

static inline int rl_shim_set_editor(EditLine *el, const char *mode) {
    return el_set(el, EL_EDITOR, mode);
}

/// EL_SIGNAL 1: libedit restores the terminal on signals and follows window resizes.
static inline int rl_shim_set_signal(EditLine *el, int on) {
    return el_set(el, EL_SIGNAL, on);
}

static inline int rl_shim_set_history(EditLine *el, History *h) {
    return el_set(el, EL_HIST, history, h);
}

static inline int rl_shim_add_function(EditLine *el, const char *name, const char *help, rl_shim_command_fn fn) {
    return el_set(el, EL_ADDFN, name, help, fn);
}

static inline int rl_shim_bind(EditLine *el, const char *key, const char *function) {
    return el_set(el, EL_BIND, key, function, (const char *)NULL);
}

/// `bind -k up FUNCTION`: the terminal's own arrow key sequence (from terminfo), not a literal one.
static inline int rl_shim_bind_arrow(EditLine *el, const char *arrow, const char *function) {
    return el_set(el, EL_BIND, "-k", arrow, function, (const char *)NULL);
}

static inline int rl_shim_set_client_data(EditLine *el, void *data) {
    return el_set(el, EL_CLIENTDATA, data);
}

static inline void *rl_shim_get_client_data(EditLine *el) {
    void *data = NULL;
    if (el_get(el, EL_CLIENTDATA, &data) != 0) return NULL;
    return data;
}

/// Reads ~/.editrc (or $EDITRC) so a user's own bindings apply.
static inline int rl_shim_source_editrc(EditLine *el) {
    return el_source(el, NULL);
}

/// The line so far and the cursor offset into it, in bytes.
static inline size_t rl_shim_cursor_offset(EditLine *el) {
    const LineInfo *li = el_line(el);
    return (size_t)(li->cursor - li->buffer);
}

static inline const char *rl_shim_line_buffer(EditLine *el) {
    return el_line(el)->buffer;
}

/// The end of the line so far, in bytes from its start.
static inline size_t rl_shim_line_length(EditLine *el) {
    const LineInfo *li = el_line(el);
    return (size_t)(li->lastchar - li->buffer);
}

/// Replaces the whole line with `text` (characters, not bytes, for el_cursor/el_deletestr),
/// leaving the cursor at its end.
static inline void rl_shim_replace_line(EditLine *el, int charactersAfterCursor, int characters, const char *text) {
    el_cursor(el, charactersAfterCursor);
    if (characters > 0) el_deletestr(el, characters);
    if (text[0] != '\0') el_insertstr(el, text);
}

static inline int rl_shim_errno(void) { return errno; }
static inline void rl_shim_clear_errno(void) { errno = 0; }

// MARK: - History

static inline int rl_shim_history_set_size(History *h, int size) {
    HistEvent ev;
    return history(h, &ev, H_SETSIZE, size);
}

static inline int rl_shim_history_set_unique(History *h, int unique) {
    HistEvent ev;
    return history(h, &ev, H_SETUNIQUE, unique);
}

static inline int rl_shim_history_enter(History *h, const char *line) {
    HistEvent ev;
    return history(h, &ev, H_ENTER, line);
}

static inline int rl_shim_history_load(History *h, const char *path) {
    HistEvent ev;
    return history(h, &ev, H_LOAD, path);
}

static inline int rl_shim_history_save(History *h, const char *path) {
    HistEvent ev;
    return history(h, &ev, H_SAVE, path);
}

// The history in libedit's file format (`_HiStOrY_V2_` and one encoded line per entry), as bytes
// in memory, so the caller can write it atomically beside the real file. libedit fchmods the
// stream it saves to, so it needs a real file: an anonymous temporary one (tmpfile), read back.
// On success *out holds the bytes (malloc'd: the caller frees it) and the count is returned; -1 on failure.
static inline long rl_shim_history_bytes(History *h, char **out) {
    *out = NULL;
    FILE *fp = tmpfile();
    if (!fp) return -1;
    HistEvent ev;
    long size = -1;
    if (history(h, &ev, H_SAVE_FP, fp) >= 0 && fflush(fp) == 0 && (size = ftell(fp)) >= 0) {
        rewind(fp);
        *out = malloc((size_t)size + 1);
        if (!*out || fread(*out, 1, (size_t)size, fp) != (size_t)size) {
            free(*out);
            *out = NULL;
            size = -1;
        }
    }
    fclose(fp);
    return size;
}

/// The entries, newest first: rl_shim_history_first, then rl_shim_history_next until NULL.
static inline const char *rl_shim_history_first(History *h) {
    HistEvent ev;
    return history(h, &ev, H_FIRST) < 0 ? NULL : ev.str;
}

static inline const char *rl_shim_history_next(History *h) {
    HistEvent ev;
    return history(h, &ev, H_NEXT) < 0 ? NULL : ev.str;
}

static inline int rl_shim_history_count(History *h) {
    HistEvent ev;
    if (history(h, &ev, H_GETSIZE) < 0) return 0;
    return ev.num;
}

// MARK: - Signals

/// SIGINT without SA_RESTART, so a read blocked in el_gets returns EINTR. The signal is also
/// unblocked for the calling thread (and the threads it starts later): a parent that spawned us
/// from a thread with signals blocked (a dispatch worker) would otherwise leave Ctrl-C dead.
static inline int rl_shim_install_sigint(void (*handler)(int)) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = handler;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_UNBLOCK, &set, NULL);
    return sigaction(SIGINT, &sa, NULL);
}

// MARK: - Output from inside libedit callbacks (same FILE* libedit draws with)

static inline void rl_shim_write_stdout(const char *text) {
    fputs(text, stdout);
    fflush(stdout);
}

static inline void rl_shim_flush_stdout(void) {
    fflush(stdout);
}
