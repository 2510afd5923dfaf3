/* Community pages' search documents: the rows of search_doc for the published blocks of an active
 * community, in each language its page offers and search has a table for, written from the blocks'
 * JSON as the public page shows it (English where a field lacks its translation). */
#ifndef VRC_SEARCHCOMMUNITY_H
#define VRC_SEARCHCOMMUNITY_H

#include "db/db.h"

/* Rewrite the documents of every community listed in search_community_pending (migration 012), each
 * in a savepoint of its own on the connection, and take it off the list: the caller keeps other
 * writers away (it is inside its own transaction, or nothing else runs yet). A community that cannot
 * be read keeps its last documents and its place on the list (logged). Returns how many were
 * rewritten, or -1 (logged) when the list cannot be read. */
int searchcommunity_write_pending(struct db *db);

#endif
