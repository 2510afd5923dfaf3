/* Unit tests for src/app/crisis.c: crisis phrases in English and Spanish match after folding (case,
 * accents, punctuation), as whole words or word starts where the list says so; everyday searches do
 * not. */
#include <stdlib.h>

#include "app/crisis.h"
#include "base/fold.h"
#include "test.h"

/* crisis_match on a query as typed, folded as the search page folds it. */
static bool crisis(const char *typed)
{
	struct buf b = BUF_INIT;
	fold_words(typed, strlen(typed), &b);
	bool m = crisis_match(b.p ? b.p : "");
	buf_free(&b);
	return m;
}

static void test_crisis_english(void)
{
	static const char *const yes[] = {
	    "suicide",
	    "Suicidal thoughts",
	    "I want to die",
	    "how to kill myself",
	    "end my life",
	    "SELF-HARM",
	    "self harming",
	    "hurt myself",
	    "I wanna die",
	    "better off dead",
	    "don't want to live",
	    "suicide hotline",
	    "thinking about ending my life",
	};
	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (!crisis(yes[i]))
			fprintf(stderr, "  not matched: %s\n", yes[i]);
		CHECK(crisis(yes[i]));
	}
}

static void test_crisis_spanish(void)
{
	static const char *const yes[] = {
	    "suicidio",
	    "Suicidarme",
	    "quiero matarme",
	    "quitarme la vida",
	    "QUIERO MORIR",
	    "me quiero morir",
	    "hacerme daño",
	    "hacerme dano",
	    "autolesión",
	    "autolesiones",
	    "¿cómo me suicido?",
	    "no quiero vivir",
	    "pensamientos suicidas",
	};
	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (!crisis(yes[i]))
			fprintf(stderr, "  not matched: %s\n", yes[i]);
		CHECK(crisis(yes[i]));
	}
}

static void test_crisis_not(void)
{
	static const char *const no[] = {
	    "",
	    "grief",
	    "victim compensation",
	    "my son was killed",
	    "die casting",
	    "self care",
	    "hurt feelings",
	    "duelo",
	    "compensación para víctimas",
	    "cortarme el pelo",
	    "suite",
	    "matar el tiempo",
	    "dead line",
	};
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
		if (crisis(no[i]))
			fprintf(stderr, "  matched: %s\n", no[i]);
		CHECK(!crisis(no[i]));
	}
}

static const struct test_case tests[] = {
    {"crisis_english", test_crisis_english},
    {"crisis_spanish", test_crisis_spanish},
    {"crisis_not", test_crisis_not},
};
TEST_MAIN(tests)
