// LeakSanitizer settings for the `hub` executable when built with HUB_SANITIZE (ignored
// otherwise).
//
// fontconfig, under pango in the print adapter and `hub ctl print`, keeps its
// configuration for the life of the process and frees it only in FcFini(), which must not run
// while pango's font maps exist: a one-off allocation, not a leak. Our own leaks still count.
extern "C" const char* __lsan_default_suppressions() { return "leak:libfontconfig.so\n"; }
extern "C" const char* __lsan_default_options() { return "print_suppressions=0"; }
