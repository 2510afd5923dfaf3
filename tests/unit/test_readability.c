/* Unit tests for src/text/readability.c and the prose it reads (src/text/prose.c): syllables, words
 * and sentences in English and Spanish, what of the Markdown counts, the grades' direction, and bad
 * input. */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "base/buf.h"
#include "test.h"
#include "text/readability.h"

static struct readability score(const char *md, const char *lang)
{
	return readability_score(md, strlen(md), lang);
}

/* Same words, sentences and syllables. */
static int same_counts(struct readability a, struct readability b)
{
	return a.words == b.words && a.sentences == b.sentences && a.syllables == b.syllables;
}

struct syl {
	const char *word;
	size_t want;
};

static void check_syllables(const struct syl *t, size_t n, const char *lang)
{
	for (size_t i = 0; i < n; i++) {
		struct readability r = score(t[i].word, lang);
		if (r.syllables != t[i].want || r.words != 1)
			fprintf(stderr, "  %s %s: %zu syllables, %zu words; want %zu\n", lang, t[i].word,
			        r.syllables, r.words, t[i].want);
		CHECK(r.syllables == t[i].want && r.words == 1);
	}
}

static void test_en_syllables(void)
{
	static const struct syl t[] = {
	    {"the", 1},        {"table", 2},        {"beautiful", 3}, {"trauma", 2},
	    {"counselor", 3},  {"compensation", 4}, {"walked", 1},    {"created", 3},
	    {"create", 2},     {"creature", 2},     {"people", 2},    {"violence", 3},
	    {"suicide", 3},    {"every", 2},        {"everyone", 3},  {"anyone", 3},
	    {"being", 2},      {"going", 2},        {"idea", 3},      {"area", 3},
	    {"friend", 1},     {"quiet", 2},        {"makes", 1},     {"uses", 2},
	    {"wanted", 2},     {"called", 1},       {"troubled", 2},  {"lonely", 2},
	    {"management", 3}, {"element", 3},      {"couldn't", 2},  {"don't", 1},
	    {"you", 1},        {"day", 1},          {"eyes", 1},      {"played", 1},
	    {"science", 2},    {"experience", 4},   {"situation", 4}, {"individual", 5},
	    {"actual", 3},     {"language", 2},     {"anxiety", 4},   {"previous", 3},
	    {"precious", 2},   {"studying", 3},     {"something", 2}, {"reach", 1},
	    {"react", 2},      {"Australian", 4},   {"reptilian", 4}, {"headaches", 2},
	    {"naïve", 2},      {"well-known", 2},   {"988", 1},       {"1-800-985-5990", 1},
	};
	check_syllables(t, sizeof t / sizeof t[0], "en");
}

static void test_es_syllables(void)
{
	static const struct syl t[] = {
	    {"ayuda", 3},   {"apoyo", 3},       {"víctima", 3},  {"duelo", 2},     {"trauma", 2},
	    {"país", 2},    {"querer", 2},      {"pingüino", 3}, {"estrés", 2},    {"guía", 2},
	    {"agua", 2},    {"guerra", 2},      {"hoy", 1},      {"muy", 1},       {"y", 1},
	    {"ciudad", 2},  {"violencia", 3},   {"leer", 2},     {"creía", 3},     {"ahí", 2},
	    {"Uruguay", 3}, {"emergencias", 4}, {"teléfono", 4}, {"sensación", 3}, {"desaparecido", 6},
	    {"Raúl", 2},    {"ESTRÉS", 2},      {"988", 1},
	};
	check_syllables(t, sizeof t / sizeof t[0], "es");
}

static void test_words_and_sentences(void)
{
	struct readability r = score("The cat sat on the mat. It was happy! Was it? Yes.", "en");
	CHECK(r.words == 12);
	CHECK(r.sentences == 4);
	CHECK(r.syllables == 13);

	/* Soft line breaks do not end sentences; an unterminated last sentence still counts. */
	r = score("We talked for a long\ntime and then we\nwent home", "en");
	CHECK(r.words == 11 && r.sentences == 1);

	/* Spanish marks, quotes and ellipses. */
	r = score("¿Cómo está? ¡Muy bien! Dijo: \"Estoy cansado\". Luego... se fue.", "es");
	CHECK(r.words == 10);
	CHECK(r.sentences == 5);

	/* Closing emphasis and quotes between the mark and the space. */
	r = score("**Call 988.** Then rest. \"Go now.\" Okay.", "en");
	CHECK(r.sentences == 4);

	/* Apostrophes and hyphens keep a word whole; dashes split. */
	r = score("Don't stop — it's a well-known, long-term plan.", "en");
	CHECK(r.words == 7);
}

static void test_abbreviations(void)
{
	struct readability r =
	    score("Dr. Smith met Sra. López at 3.5 p.m. today. See e.g. the U.S. guide. Then go.", "en");
	CHECK(r.sentences == 3);
	CHECK(r.words == 16);

	/* etc. and U.S. end a sentence when a capital follows. */
	r = score("Bring forms, IDs, etc. Then wait. We live in the U.S. Many do.", "en");
	CHECK(r.sentences == 4);

	r = score("Hable con el Dr. Pérez o la Dra. Ruiz. Viven en EE. UU. desde 2001.", "es");
	CHECK(r.sentences == 2);

	/* Decimals and times do not split; a sentence-final number does end one. */
	r = score("It costs 3.50 dollars at 10:30 today. We paid in 2020. Then we left.", "en");
	CHECK(r.sentences == 3);
}

static void test_colon(void)
{
	/* A colon ends a sentence only at the end of a line. */
	struct readability r = score("Note: this is one sentence.", "en");
	CHECK(r.sentences == 1);
	r = score("Call if you:\nfeel alone", "en");
	CHECK(r.sentences == 2);
	r = score("Ask for help: \n", "en");
	CHECK(r.sentences == 1);
}

static void test_markdown_links(void)
{
	struct readability plain = score("Call the helpline today.", "en");
	struct readability r =
	    score("Call [the helpline](https://example.org/a/very-long/path?query=words&more=1 "
	          "\"Title words here\") today.",
	          "en");
	CHECK(same_counts(r, plain));
	r = score("Call [the helpline][lifeline] today.\n\n"
	          "[lifeline]: https://example.org/lifeline \"More words\"\n",
	          "en");
	CHECK(same_counts(r, plain));
	r = score("Call the helpline <https://example.org/more/words> today.", "en");
	CHECK(same_counts(r, plain));
	r = score("Call the helpline https://example.org/more/words today.", "en");
	CHECK(same_counts(r, plain));
	r = score("Call the helpline today. https://example.org/more/words", "en");
	CHECK(same_counts(r, plain));
	r = score("Call ![a photo of a phone and more words](img/phone.png) the helpline today.", "en");
	CHECK(same_counts(r, plain));
	r = score("Call the `helpline --with words` helpline today.", "en");
	CHECK(r.words == 4);
	r = score("Call <b>the</b> <span class=\"x y z\">helpline</span> today.<!-- a\nnote -->", "en");
	CHECK(same_counts(r, plain));
	r = score("Call the&nbsp;helpline today.", "en");
	CHECK(same_counts(r, plain));
	/* The site renders no footnotes: "[^1]" is text a reader sees, and "1" a word. */
	r = score("Call the helpline today.[^1]", "en");
	CHECK(r.words == plain.words + 1);
	r = score("*Call* **the** _helpline_ ~~today~~.", "en");
	CHECK(same_counts(r, plain));
	r = score("Call \\*the\\* helpline today.", "en");
	CHECK(same_counts(r, plain));
}

static void test_markdown_blocks(void)
{
	struct readability plain = score("Rest when you can. Eat well.", "en");

	struct readability r = score("Rest when you can.\n\n"
	                             "| Day | Hours slept | Notes about the night |\n"
	                             "|-----|-------------|-----------------------|\n"
	                             "| Monday | eight | woke up twice |\n\n"
	                             "Eat well.\n",
	                             "en");
	CHECK(same_counts(r, plain));
	r = score("Rest when you can.\n\nDay | Hours slept\n--- | ---\nMonday | eight\n\nEat well.", "en");
	CHECK(same_counts(r, plain));
	r = score("Rest when you can.\n\n```sh\nmake test and more words\n\n```\nEat well.", "en");
	CHECK(same_counts(r, plain));
	r = score("Rest when you can.\n\n---\n\n* * *\n\n______\n\nEat well.", "en");
	CHECK(same_counts(r, plain));
	r = score("> Rest when you can.\n> Eat well.", "en");
	CHECK(same_counts(r, plain));
	/* What the site's parser does not show as text is not counted: raw HTML blocks (the site drops
	 * them), indented code, also inside a list item. */
	r = score(
	    "Rest when you can.\n\n<div class=\"note\">\nWords the site never shows\n</div>\n\nEat well.",
	    "en");
	CHECK(same_counts(r, plain));
	r = score("Rest when you can.\n\n    make test and more words\n\nEat well.", "en");
	CHECK(same_counts(r, plain));
	r = score("- Rest when you can.\n\n      make test and more words\n- Eat well.", "en");
	CHECK(same_counts(r, plain));

	/* Headings and list items without final punctuation are sentences of their own. */
	r = score("# Getting help\n\nThings that help:\n\n"
	          "- Talk to a friend\n- Sleep\n- Eat regular meals\n- Take a walk\n- Call 988\n",
	          "en");
	CHECK(r.sentences == 7);
	r = score("- Talk to a friend\n- Sleep\n- Eat regular meals\n- Take a walk\n- Call 988", "en");
	CHECK(r.sentences == 5);
	CHECK(r.words == 13);
	r = score("1. Breathe in\n2) Breathe out\n3. [ ] Check in with a friend\n- [x] Done", "es");
	CHECK(r.sentences == 4);
	CHECK(r.words == 10);
	r = score("## Sleep ##\nSetext heading\n===\n- A list item that goes\n  on to a second line\n", "en");
	CHECK(r.sentences == 3);
	/* A list item that has its period is not counted twice. */
	r = score("- Sleep.\n- Eat.\n", "en");
	CHECK(r.sentences == 2);
	/* Fill-in lines count only their labels. */
	r = score("Name: ______________ Date: __________\n", "en");
	CHECK(r.words == 2);
}

static void test_grades_en(void)
{
	/* Flesch-Kincaid's own example: 13 words, 26 syllables, grade 13.1. */
	struct readability r =
	    score("The Australian platypus is seemingly a hybrid of a mammal and reptilian creature.", "en");
	CHECK(r.words == 13 && r.syllables == 26);
	CHECK(fabs(r.grade - 13.1) < 1.0);

	r = score("The cat sat on the mat.", "en");
	CHECK(fabs(r.ease - 116.1) < 1.0);

	struct readability easy = score("We went home. The sun was out. I had a nap. It was a good "
	                                "day. My dog ran in the park.",
	                                "en");
	struct readability hard =
	    score("The epistemological ramifications of institutional heterogeneity "
	          "necessitate comprehensive methodological reconsideration, particularly "
	          "regarding the operationalization of psychological constructs within "
	          "interdisciplinary investigations of posttraumatic symptomatology.",
	          "en");
	CHECK(easy.grade < 3);
	CHECK(easy.ease > 90);
	CHECK(hard.grade > 16);
	CHECK(hard.ease < 20);
	CHECK(easy.grade >= 0);
}

static void test_grades_es(void)
{
	struct readability easy = score("Mi casa es roja. Tengo un gato. Me gusta el sol. Voy a la "
	                                "playa con mi mamá.",
	                                "es");
	struct readability hard =
	    score("La implementación de metodologías interdisciplinarias para la evaluación "
	          "sistemática de las intervenciones psicosociales requiere una consideración "
	          "exhaustiva de las particularidades socioculturales, institucionales y "
	          "epistemológicas que condicionan la efectividad terapéutica.",
	          "es");
	CHECK(easy.ease > 90);
	CHECK(easy.grade < 6);
	CHECK(hard.ease < 30);
	CHECK(hard.grade > 16);

	/* Ease 206.84 - 60 * syllables/word - 1.02 * words/sentence: 4 words, 7 syllables. */
	struct readability r = score("La casa es bonita.", "es");
	CHECK(r.words == 4 && r.syllables == 7 && r.sentences == 1);
	CHECK(fabs(r.ease - (206.84 - 60.0 * 7 / 4 - 1.02 * 4)) < 1e-9);

	/* Longer sentences read harder: ease falls and the grade rises, without jumps. */
	char text[2048];
	double last_ease = 1e9, last_grade = -1;
	for (int n = 1; n <= 160; n++) {
		size_t len = 0;
		for (int i = 0; i < n; i++)
			len += (size_t)snprintf(text + len, sizeof text - len, "%s", i ? " sol" : "Sol");
		snprintf(text + len, sizeof text - len, ".");
		r = score(text, "es");
		CHECK(r.words == (size_t)n && r.sentences == 1);
		CHECK(r.ease < last_ease);
		CHECK(r.grade >= last_grade);
		if (last_grade >= 0)
			CHECK(r.grade - last_grade < 1.0);
		last_ease = r.ease;
		last_grade = r.grade;
	}
}

static void test_lang(void)
{
	/* "país" is two syllables in Spanish, one by the English rules (ai); English is the default. */
	const char *w = "país";
	CHECK(score(w, "es").syllables == 2);
	CHECK(score(w, "es-MX").syllables == 2);
	CHECK(score(w, "ES").syllables == 2);
	CHECK(score(w, "en").syllables == 1);
	CHECK(score(w, NULL).syllables == 1);
	CHECK(score(w, "fr").syllables == 1);
	CHECK(score(w, "esp").syllables == 1);
}

static void check_empty(struct readability r)
{
	CHECK(r.words == 0 && r.sentences == 0 && r.syllables == 0);
	CHECK(r.grade == 0 && r.ease == 0);
}

static void test_empty(void)
{
	check_empty(readability_score(NULL, 0, "en"));
	check_empty(readability_score(NULL, 10, "es"));
	check_empty(readability_score("", 0, "en"));
	check_empty(score("   \n\n\t\n", "es"));
	check_empty(score("# \n\n- \n---\n| a | b |\n|---|---|\n| c | d |\n```\ncode words\n```\n", "en"));
	check_empty(score("... !!! ??? : ; — “ ” ¿¡ 🙂", "es"));
	/* The length is honoured: bytes past it are never read. */
	check_empty(readability_score("words", 0, "en"));
	CHECK(readability_score("one two", 3, "en").words == 1);
}

/* A tiny deterministic generator for the fuzz test. */
static uint32_t rnd(uint32_t *s)
{
	*s = *s * 1103515245u + 12345u;
	return *s >> 8;
}

static void test_bad_input(void)
{
	static const char broken[] = "caf\xc3 \xe2\x80 se\xf1or \xff\xfe ni\xc3\xb1o \xf4\x90\x80\x80 "
	                             "a\xed\xa0\x80z. \xc3";
	/* An invalid byte is a letter: each run of them and letters is one word, none is lost. */
	struct readability r = readability_score(broken, sizeof broken - 1, "es");
	CHECK(r.words == 8 && r.sentences == 2);
	r = readability_score(broken, sizeof broken - 1, "en");
	CHECK(r.words == 8 && r.sentences == 2);

	/* NUL bytes and form feeds in the input are just spaces. */
	static const char nul[] = "one\0two\fthree.";
	r = readability_score(nul, sizeof nul - 1, "en");
	CHECK(r.words == 3 && r.sentences == 1);

	/* Unclosed constructs are text: their words count. */
	r = score("[open link (no close `code ![img <tag &amp no; ```", "en");
	CHECK(r.words == 9 && r.sentences == 1);
	/* A very long word is one word, its letters counted in pieces (not one syllable). */
	char big[4096];
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	r = score(big, "en");
	CHECK(r.words == 1 && r.syllables > 1);
}

/* Score prefix + x[0, len) + suffix. */
static struct readability score_around(const char *prefix, const char *x, size_t len, const char *suffix,
                                       const char *lang)
{
	struct buf b = BUF_INIT;
	buf_puts(&b, prefix);
	buf_append(&b, x, len);
	buf_puts(&b, suffix);
	struct readability r = readability_score(b.p, b.len, lang);
	buf_free(&b);
	return r;
}

/* Random texts drawn from Markdown's alphabet, UTF-8 pieces and junk, and two properties that hold
 * for any text. Each is one check, failed if any input breaks it. */
static void test_fuzz(void)
{
	static const char *const pieces[] = {
	    "a",        "e",        "y ",
	    "qu",       "n't",      ". ",
	    "!",        "?",        ":\n",
	    "\n",       "\n\n",     "# ",
	    "- ",       "1. ",      "|",
	    "`",        "```",      "[",
	    "]",        "(",        ")",
	    "![",       "<",        ">",
	    "&",        ";",        "*",
	    "_",        "\\",       "http://",
	    "\xc3\xad", "\xc3\xbc", "\xe2\x80\x99",
	    "\xc3",     "\xff",     "\0",
	    "U.S.",     "e.g.",     "---\n",
	    "~~~",      "> ",       "988",
	    "3.5",      "<!--",     "-->",
	    "\f",
	};
	static const char para[] = "Rest now.\n\n";
	static const char links[] = "\n\n<https://example.org/a/b> ![a photo](a.png)\n";
	struct readability p_en = score(para, "en"), p_es = score(para, "es");
	uint32_t seed = 7;
	for (int n = 0; n < 3000; n++) {
		char x[256];
		size_t len = 0;
		size_t parts = rnd(&seed) % 40;
		for (size_t k = 0; k < parts; k++) {
			const char *s = pieces[rnd(&seed) % (sizeof pieces / sizeof pieces[0])];
			size_t l = s[0] ? strlen(s) : 1;
			if (len + l > sizeof x)
				break;
			memcpy(x + len, s, l);
			len += l;
		}
		const char *lang = n % 2 ? "es" : "en";
		struct readability r = readability_score(x, len, lang), p = n % 2 ? p_es : p_en;
		/* A paragraph put before any text adds its own counts: blocks do not leak into each other. */
		struct readability with = score_around(para, x, len, "", lang);
		CHECK(with.words == r.words + p.words && with.sentences == r.sentences + p.sentences &&
		      with.syllables == r.syllables + p.syllables);
		/* A paragraph of only a link's address and an image adds nothing. */
		CHECK(same_counts(score_around("", x, len, links, lang), r));
	}
}

static const struct test_case tests[] = {
    {"en_syllables", test_en_syllables},
    {"es_syllables", test_es_syllables},
    {"words_and_sentences", test_words_and_sentences},
    {"abbreviations", test_abbreviations},
    {"colon", test_colon},
    {"markdown_links", test_markdown_links},
    {"markdown_blocks", test_markdown_blocks},
    {"grades_en", test_grades_en},
    {"grades_es", test_grades_es},
    {"lang", test_lang},
    {"empty", test_empty},
    {"bad_input", test_bad_input},
    {"fuzz", test_fuzz},
};

TEST_MAIN(tests)
