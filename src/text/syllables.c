/* Syllables of English and Spanish words from their spelling: vowel groups corrected by endings
 * and hiatus rules in English, vowel nuclei (diphthongs, hiatus) in Spanish. */
#include "text/syllables.h"

#include <string.h>

/* Fold a letter to lowercase ASCII for the syllable rules. In Spanish an accented í or ú
 * becomes I or U (it breaks a diphthong) and ü becomes W (a u that is pronounced); in English
 * a vowel with a diaeresis becomes uppercase (it starts a syllable: "na-ïve"). Letters outside
 * Latin-1 become '#', a consonant. */
char syllables_fold(uint32_t c, bool es)
{
	static const char latin1[] = "aaaaaaaceeeeiiiidnooooo#ouuuuyty";
	if (c < 0x80)
		return (char)(c | 0x20);
	if (c == 0xdf)
		return 's';
	if (c < 0xc0 || c > 0xff)
		return '#';
	c |= 0x20;
	if (es && (c == 0xed || c == 0xef))
		return 'I';
	if (es && c == 0xfa)
		return 'U';
	if (es && c == 0xfc)
		return 'W';
	if (!es && (c == 0xe4 || c == 0xeb || c == 0xef || c == 0xf6 || c == 0xfc))
		return (char)(latin1[c - 0xe0] - 0x20);
	return latin1[c - 0xe0];
}

/* ---- English syllables */

static bool vowel5(char c)
{
	return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}

/* y is a consonant first ("you") and between vowels ("beyond"), else a vowel ("day", "any").
 * Uppercase is a vowel with a diaeresis. */
static bool en_vowel(const char *w, size_t n, size_t i)
{
	if (vowel5(w[i]) || (w[i] >= 'A' && w[i] <= 'Z'))
		return true;
	if (w[i] != 'y' || i == 0)
		return false;
	return !(vowel5(w[i - 1]) && i + 1 < n && vowel5(w[i + 1]));
}

/* Vowel groups; a vowel y ends its group ("an-y-one", "stud-y-ing"), a diaeresis starts one. */
static int en_groups(const char *w, size_t n)
{
	int g = 0;
	for (size_t i = 0; i < n; i++)
		if (en_vowel(w, n, i) &&
		    (i == 0 || !en_vowel(w, n, i - 1) || w[i - 1] == 'y' || (w[i] >= 'A' && w[i] <= 'Z')))
			g++;
	return g;
}

/* Silent final e ("make", "the"), -es ("makes") and -ed ("walked"); not consonant + le
 * ("table", "tables", "troubled"), not -ses/-ces/-ges/-ches ("uses"), not -ted/-ded. */
static int en_endings(const char *w, size_t n)
{
	if (n < 3)
		return 0;
	if (w[n - 1] == 'e') {
		if (vowel5(w[n - 2]))
			return 0;
		return w[n - 2] == 'l' && !vowel5(w[n - 3]) && w[n - 3] != 'l' ? 0 : -1;
	}
	if (n < 4 || w[n - 2] != 'e' || vowel5(w[n - 3]))
		return 0;
	char c = w[n - 3], b = w[n - 4];
	if (c == 'l' && !vowel5(b) && b != 'l')
		return 0;
	if (w[n - 1] == 's') {
		if (c == 's' || c == 'x' || c == 'z' || c == 'c' || c == 'g')
			return 0;
		return c == 'h' && (b == 'c' || b == 's') ? 0 : -1;
	}
	if (w[n - 1] == 'd')
		return c == 't' || c == 'd' ? 0 : -1;
	return 0;
}

/* A silent e before a suffix: "lone-ly", "hope-ful", "state-ment"; not "el-e-ment", "re-ly". */
static int en_silent_e(const char *w, size_t n)
{
	static const char *const suffixes[] = {"ely", "eful", "efully", "eless", "eness", "ement", "ements"};
	for (size_t k = 0; k < sizeof suffixes / sizeof suffixes[0]; k++) {
		size_t m = strlen(suffixes[k]);
		if (n < m + 2 || memcmp(w + n - m, suffixes[k], m) != 0)
			continue;
		size_t e = n - m;
		if (vowel5(w[e - 1]) || w[e - 1] == 'l')
			return 0;
		for (size_t i = 0; i + 1 < e; i++)
			if (vowel5(w[i]))
				return -1;
		return 0;
	}
	return 0;
}

/* Corrections to the vowel-group count, mostly hiatus: two vowels that are two syllables. A
 * pattern is matched anywhere (or at '^', '$'); letters match themselves, [xy] and [^xy] are
 * classes, '.' is any letter. Every match adds delta. */
static const struct en_rule {
	const char *pat;
	int delta;
} en_rules[] = {
    {"[^ct]ia", 1},            /* me-di-a, Aus-tra-li-an; not so-cial, ini-tial */
    {"iage", -1},              /* mar-riage */
    {"[^ctxg]iou", 1},         /* pre-vi-ous; not pre-cious, anx-ious, re-li-gious */
    {"[^tscxgnl]ion", 1},      /* cham-pi-on; not na-tion, vi-sion, mil-lion, o-pin-ion */
    {"io[^nru]", 1},           /* vi-o-lence, pe-ri-od */
    {"io$", 1},                /* ra-di-o */
    {"eo[^pu]", 1},            /* the-o-ry; not peo-ple, gor-geous */
    {"eo$", 1},                /* vi-de-o */
    {"meone", -1},             /* some-one */
    {"[^gq]ua[^aeiou]", 1},    /* ac-tu-al; not qual-i-ty, lan-guage */
    {"[^gq]ue[lnt]", 1},       /* flu-ent, cru-el */
    {"[^gq]ui[cdn]", 1},       /* su-i-cide, flu-id, ru-in; not guide */
    {"^juic", -1},             /* juice */
    {"[^ct]ien", 1},           /* au-di-ence, cli-ent; not pa-tient, an-cient */
    {"iend", -1},              /* friend */
    {"scien", 1},              /* sci-ence */
    {"iet", 1},                /* qui-et, so-ci-e-ty */
    {"ium", 1},                /* com-pen-di-um */
    {"..ier$", 1},             /* eas-i-er */
    {"..iers$", 1},            /* car-ri-ers */
    {"..iest$", 1},            /* eas-i-est */
    {"[aeiou][^aeiou]ea$", 1}, /* i-de-a, ar-e-a */
    {"^crea", 1},              /* cre-ate */
    {"^creatu", -1},           /* crea-ture */
    {"^react", 1},             /* re-act; not reach */
    {"^reali", 1},             /* re-al-i-ty */
    {"[aeiou]ing$", 1},        /* be-ing, go-ing */
    {"[aeiou]ings$", 1},       /* be-ings */
    {"^aches", -1},            /* aches */
    {"[^aeiou]aches$", -1},    /* head-aches; not ap-proach-es */
    {"ism$", 1},               /* rac-ism */
    {"isms$", 1},              /* rac-isms */
    {"^every", -1},            /* ev-ery-one */
    {"^some[^aeiou]", -1},     /* some-times */
    {"^life[^aeiou]", -1},     /* life-line */
};

static bool pat_at(const char *p, const char *w, size_t n, size_t i)
{
	for (; *p; p++, i++) {
		if (*p == '$')
			return i == n;
		if (i >= n)
			return false;
		if (*p == '[') {
			bool neg = p[1] == '^', in = false;
			for (p += 1 + neg; *p != ']'; p++)
				in |= *p == w[i];
			if (in == neg)
				return false;
		} else if (*p != '.' && *p != w[i]) {
			return false;
		}
	}
	return true;
}

static int pat_count(const char *pat, const char *w, size_t n)
{
	int c = 0;
	if (pat[0] == '^')
		return pat_at(pat + 1, w, n, 0);
	for (size_t i = 0; i < n; i++)
		c += pat_at(pat, w, n, i);
	return c;
}

/* w is folded lowercase; nt: the word ended in "n't" (written without the apostrophe). */
int syllables_en(const char *w, size_t n, bool nt)
{
	int s = en_groups(w, n) + en_endings(w, n) + en_silent_e(w, n);
	for (size_t k = 0; k < sizeof en_rules / sizeof en_rules[0]; k++)
		s += en_rules[k].delta * pat_count(en_rules[k].pat, w, n);
	if (nt && n >= 3 && !vowel5(w[n - 3]))
		s++; /* could-n't, is-n't */
	return s;
}

/* ---- Spanish syllables */

enum es_vowel { ES_NONE, ES_WEAK, ES_STRONG };

/* a, e, o and accented í, ú are strong; i, u, ü weak; u is silent in que, qui, gue, gui;
 * y is a vowel only at the end of a word ("hoy", "muy", "y"). */
static enum es_vowel es_kind(const char *w, size_t n, size_t i)
{
	switch (w[i]) {
	case 'a':
	case 'e':
	case 'o':
	case 'I':
	case 'U': return ES_STRONG;
	case 'i':
	case 'W': return ES_WEAK;
	case 'u':
		if (i > 0 && (w[i - 1] == 'q' || w[i - 1] == 'g') && i + 1 < n &&
		    (w[i + 1] == 'e' || w[i + 1] == 'i' || w[i + 1] == 'I'))
			return ES_NONE;
		return ES_WEAK;
	case 'y': return i + 1 == n ? ES_WEAK : ES_NONE;
	default: return ES_NONE;
	}
}

/* Count nuclei: two strong vowels are a hiatus (pa-ís, le-er); weak + strong, strong + weak
 * and two different weak vowels are one diphthong or triphthong (due-lo, ciu-dad, buey). */
int syllables_es(const char *w, size_t n)
{
	int s = 0;
	enum es_vowel prev = ES_NONE;
	for (size_t i = 0; i < n; i++) {
		enum es_vowel k = es_kind(w, n, i);
		if (k != ES_NONE && (prev == ES_NONE || (prev == ES_STRONG && k == ES_STRONG) ||
		                     (prev == ES_WEAK && k == ES_WEAK && w[i] == w[i - 1])))
			s++;
		prev = k;
	}
	return s;
}
