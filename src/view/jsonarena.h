/* Page data made in one go and freed in one go: while a thread renders a page, the JSON values it
 * makes come from that thread's arena and are released whole at the end of the page (jansson's
 * malloc and free of many small blocks were a tenth of a render: perf, issue 9). */
#ifndef VRC_JSONARENA_H
#define VRC_JSONARENA_H
#include <stdbool.h>

/* Route jansson's allocations through here; once, before any thread renders. Outside a render
 * (and in a thread that never renders) values are malloc'd and freed as before. */
void jsonarena_setup(void);
/* This thread's values come from its arena until the matching jsonarena_end (calls nest). */
void jsonarena_begin(void);
/* Release every value made since jsonarena_begin: none may be alive any more (a memo must build
 * what it keeps with the arena paused). Under ASan the released memory is poisoned. */
void jsonarena_end(void);
/* Values made from now on are malloc'd, for what outlives the render (memos); returns what to hand
 * jsonarena_resume. */
bool jsonarena_pause(void);
void jsonarena_resume(bool was_on);

#endif
