#ifndef FENGHUO_CNCURSESW_SHIM_H
#define FENGHUO_CNCURSESW_SHIM_H
// The only C surface for curses. NCURSES_WIDECHAR turns on the wide-character API (get_wch,
// cchar_t) without _XOPEN_SOURCE, which would change glibc's struct field names (fd_set,
// ucontext) and clash with the same headers as every other module sees them.
#define NCURSES_WIDECHAR 1
#include <locale.h>
#include <wchar.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>
#include <langinfo.h>
#include <ncursesw/curses.h>

// C globals are refused by Swift's strict concurrency checking: read them through functions.
static inline WINDOW *fh_stdscr(void) { return stdscr; }
static inline int fh_lines(void) { return LINES; }
static inline int fh_cols(void) { return COLS; }
static inline int fh_colors(void) { return COLORS; }
static inline int fh_color_pairs(void) { return COLOR_PAIRS; }
static inline int fh_key_f(int n) { return KEY_F(n); }

// Termination signals only raise a flag; the program loop sees it within one input timeout,
// restores the terminal and exits. Nothing unsafe runs inside the handler.
static volatile sig_atomic_t fh_termination_signal = 0;
static inline void fh_on_termination(int sig) { fh_termination_signal = sig; }
static inline void fh_install_termination_handlers(void) {
    struct sigaction sa;
    sa.sa_handler = fh_on_termination;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0; // no SA_RESTART: a blocking read returns so the flag is seen at once
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    // A parent may have started us with these blocked; the console needs them delivered.
    sigset_t wanted;
    sigemptyset(&wanted);
    sigaddset(&wanted, SIGTERM);
    sigaddset(&wanted, SIGHUP);
    sigaddset(&wanted, SIGINT);
    sigaddset(&wanted, SIGWINCH);
    sigprocmask(SIG_UNBLOCK, &wanted, NULL);
}
static inline int fh_pending_termination(void) { return (int)fh_termination_signal; }

// A crash must not leave the terminal in raw mode: give it back, then die of the same signal.
static inline void fh_on_crash(int sig) {
    endwin();
    signal(sig, SIG_DFL);
    raise(sig);
}
static inline void fh_install_crash_handlers(void) {
    int signals[] = {SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGABRT, SIGFPE};
    for (unsigned i = 0; i < sizeof signals / sizeof signals[0]; i++) {
        struct sigaction sa;
        sa.sa_handler = fh_on_crash;
        sigemptyset(&sa.sa_mask);
        sa.sa_flags = SA_RESETHAND;
        sigaction(signals[i], &sa, NULL);
    }
}

// Attribute bits are function-like macros in curses.h, which Swift does not import.
static inline attr_t fh_a_bold(void) { return A_BOLD; }
static inline attr_t fh_a_dim(void) { return A_DIM; }
static inline attr_t fh_a_underline(void) { return A_UNDERLINE; }
static inline attr_t fh_a_reverse(void) { return A_REVERSE; }
static inline attr_t fh_a_italic(void) { return A_ITALIC; }
static inline attr_t fh_a_normal(void) { return A_NORMAL; }

// Draw one UTF-8 string at (y, x) with the given attributes and colour pair.
static inline int fh_draw(int y, int x, const char *utf8, attr_t attrs, short pair) {
    attr_set(attrs, pair, NULL);
    return mvaddstr(y, x, utf8);
}
#endif
