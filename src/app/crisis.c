/* The crisis phrases, folded as fold_words folds a query. A phrase matches whole words; one ending in
 * '*' also matches when its last word goes on ("suicid*": suicide, suicidal, suicidio, suicidarme).
 * The list errs on the side of showing the lines: a false alarm costs a box of phone numbers. */
#include "app/crisis.h"

#include <string.h>

static const char *const phrases[] = {
    /* either language */
    "suicid*",
    /* English */
    "kill myself",
    "killing myself",
    "kill my self",
    "end my life",
    "ending my life",
    "end my own life",
    "take my life",
    "take my own life",
    "end it all",
    "want to die",
    "wanna die",
    "wanting to die",
    "wish i was dead",
    "wish i were dead",
    "better off dead",
    "self harm*",
    "selfharm*",
    "self injur*",
    "hurt myself",
    "hurting myself",
    "harm myself",
    "harming myself",
    "cut myself",
    "cutting myself",
    "no reason to live",
    "don t want to live",
    "dont want to live",
    "not want to live",
    /* Spanish */
    "matarme",
    "me quiero matar",
    "quitarme la vida",
    "quitar me la vida",
    "acabar con mi vida",
    "terminar con mi vida",
    "quiero morir*",
    "me quiero morir",
    "ganas de morir*",
    "quisiera morir*",
    "hacerme dano",
    "hacerme danio",
    "autolesi*",
    "auto lesi*",
    "lastimarme",
    "cortarme las venas",
    "no quiero vivir",
    "no quiero seguir viviendo",
};

/* phrase at a word start of text: whole words, or a word going on when it ends in '*'. */
static bool phrase_in(const char *text, const char *phrase)
{
	size_t n = strlen(phrase);
	bool prefix = n && phrase[n - 1] == '*';
	if (prefix)
		n--;
	for (const char *at = text; *at;) {
		if (strncmp(at, phrase, n) == 0 && (prefix || at[n] == ' ' || at[n] == '\0'))
			return true;
		const char *sp = strchr(at, ' ');
		if (!sp)
			break;
		at = sp + 1;
	}
	return false;
}

bool crisis_match(const char *folded)
{
	for (size_t i = 0; i < sizeof(phrases) / sizeof(phrases[0]); i++)
		if (phrase_in(folded, phrases[i]))
			return true;
	return false;
}
