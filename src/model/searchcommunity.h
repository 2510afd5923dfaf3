/* Community pages' search documents: the rows of search_doc for the published blocks of an active
 * community, in each language its page offers and search has a table for, written from the blocks'
 * JSON as the public page shows it (English where a field lacks its translation). */
#ifndef VRC_SEARCHCOMMUNITY_H
#define VRC_SEARCHCOMMUNITY_H

#include "db/db.h"

/* Rewrite the documents of every community listed in search_community_pending (migration 012) and
 * clear the list, inside one savepoint on the connection: the caller keeps other writers away (it is
 * inside its own transaction, or nothing else runs yet). Returns how many communities were rewritten,
 * or -1 (logged; the list is kept for the next try). */
int searchcommunity_write_pending(struct db *db);

#endif
