package dev.nexus.host.memory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Extracts explicit first-person statements ("my name is", "I live in", "I'm vegetarian", "I
 * prefer", "I work as", "I'm allergic to", "my favourite … is", "I have a dog named …") from the
 * user's text. Questions and negated statements are not facts. Each rule carries the confidence of
 * its phrasing. Deliberately conservative: a missed fact costs less than a wrong one.
 *
 * <p>It keeps the subject: what the user says of someone in their life ("my sister Ana is a nurse",
 * "my brother moved to Bergen") is a fact about that person ({@link ExtractedFact#about()}), not "The
 * user …"; and a past event with its day ("I went to the support group yesterday") is an {@code event}
 * fact carrying the words that date it ({@link ExtractedFact#when()}), read in the user's time zone
 * when it is stored. Stateless.
 */
final class RuleFactExtractor implements FactExtractor {

    static final RuleFactExtractor INSTANCE = new RuleFactExtractor();

    private static final String I_AM = "(?:i'm|i am|im)";
    private static final String VALUE = "(?<v>[^,;]{1,80})";
    private static final String NAME = "(?<v>\\p{L}[\\p{L}'-]*(?: \\p{L}[\\p{L}'-]*){0,2})";
    private static final Pattern CLAUSE_BREAK = Pattern.compile(
            "(?<=[.!?;\\n])\\s+|,?\\s+(?:and|but)\\s+(?=(?:i|i'm|i've|im|my|me)\\b)", Pattern.CASE_INSENSITIVE);
    private static final Pattern VALUE_END = Pattern.compile(
            "\\s+(?:because|since|so|which|but|though|although|when|and then)\\b.*$|[.!?]+$", Pattern.CASE_INSENSITIVE);
    private static final Pattern FILLER = Pattern.compile(
            "\\s+(?:now|nowadays|these days|currently|at the moment|right now|too|as well|recently|"
                    + "last (?:year|month|week)|this (?:year|month|time)|(?:a few|a couple of|two|three|\\d+) (?:years|months|weeks) ago)$",
            Pattern.CASE_INSENSITIVE);
    /** A value that ends in a word that needs another after it ("to", "the", "a") was cut short. */
    private static final Pattern DANGLING = Pattern.compile(
            "(?:^|\\s)(?:to|the|a|an|of|in|at|for|with|and|or|my|their|this|that)$", Pattern.CASE_INSENSITIVE);

    /** Past-tense verbs of things people do; an event needs one and a day ("yesterday"). */
    private static final String DID =
            "went|got|visited|attended|ran|had|saw|met|finished|started|took|did|tried|joined|"
                    + "celebrated|watched|bought|cooked|baked|climbed|hiked|played|passed|failed|lost|won|flew|drove|travelled|"
                    + "traveled|spent|made|signed|booked|quit|adopted|received|gave|left|came|walked|swam|cycled|read|wrote|"
                    + "completed|presented|graduated|married|moved|sold|found|fixed|painted|planted|called|sang|danced";

    private static final Pattern EVENT = Pattern.compile(
            "\\b(?<s>i|we)(?: (?:also|finally|just|actually|eventually))? (?<v>(?:" + DID + ")\\b[^,;]{1,120})",
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    private static final String RELATIONS = "wife|husband|partner|girlfriend|boyfriend|son|daughter|mother|mom|mum|"
            + "father|dad|brother|sister|cousin|aunt|uncle|grandmother|grandma|grandfather|grandpa|niece|nephew|"
            + "best friend|friend|boss|colleague|neighbour|neighbor|roommate|flatmate";
    /** "my sister (Ana) is a nurse": the relation, an optional capitalised name, then what they are or did. */
    private static final Pattern THIRD = Pattern.compile(
            "\\bmy (?<k>" + RELATIONS + ")(?:,? (?<n>(?-i:\\p{Lu}[\\p{L}'-]*)),?)? (?<v>(?:is|was|works|worked|lives|"
                    + "lived|has|had|got|gets|just|started|became|studies|studied|plays|loves|likes|hates|teaches|runs|"
                    + "owns|retrained|joined|" + DID + ")\\b[^,;]{1,120})",
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);

    private static final Pattern JOB = Pattern.compile("^(?:works as|is now an?|is an?)\\b", Pattern.CASE_INSENSITIVE);
    private static final Pattern HOME =
            Pattern.compile("^(?:lives in|moved to|just moved to|has moved to)\\b", Pattern.CASE_INSENSITIVE);

    private static final Pattern NEGATION =
            Pattern.compile("\\b(?:not|never|don't|do not|no longer)\\b", Pattern.CASE_INSENSITIVE);

    private record Rule(Pattern pattern, String template, FactCategory category, double confidence, String slot) {

        /** Names are written with a capital: "my sister is Eva" is a name, "my sister is getting married" is not. */
        boolean properName() {
            return pattern.pattern().contains(NAME) && category == FactCategory.RELATIONSHIP;
        }
    }

    private static final List<Rule> RULES = List.of(
            rule("\\bmy name is " + NAME, "The user's name is %s", FactCategory.IDENTITY, 0.95, "name"),
            rule("\\b" + I_AM + " called " + NAME, "The user's name is %s", FactCategory.IDENTITY, 0.9, "name"),
            rule("\\bcall me " + NAME, "The user likes to be called %s", FactCategory.IDENTITY, 0.85, "name"),
            rule(
                    "\\b" + I_AM + " (?<v>\\d{1,3}) (?:years old|yo)\\b",
                    "The user is %s years old",
                    FactCategory.IDENTITY,
                    0.9,
                    "age"),
            rule(
                    "\\b(?:i live|" + I_AM + " living|i reside|" + I_AM + " based|i've lived|i have lived) in " + VALUE,
                    "The user lives in %s",
                    FactCategory.LOCATION,
                    0.9,
                    "home"),
            rule(
                    "\\bi(?:'ve| have| just)? moved to " + VALUE,
                    "The user lives in %s",
                    FactCategory.LOCATION,
                    0.85,
                    "home"),
            rule(
                    "\\b(?:we|i)(?:'ve| have| just)? (?:relocated|moved)(?: again| back)?,? to " + VALUE,
                    "The user lives in %s",
                    FactCategory.LOCATION,
                    0.8,
                    "home"),
            rule(
                    "\\b(?:" + I_AM + "|i come) (?:originally )?from " + VALUE,
                    "The user is from %s",
                    FactCategory.LOCATION,
                    0.8,
                    "origin"),
            rule(
                    "\\b" + I_AM
                            + "(?: an?)?(?: strict| a strict)? (?<v>vegetarian|vegan|pescatarian|pescetarian|flexitarian)\\b",
                    "The user is %s",
                    FactCategory.DIET,
                    0.9,
                    "diet"),
            rule(
                    "\\b" + I_AM + " (?<v>lactose intolerant|gluten[- ]free|on a keto diet|keto|halal|kosher)\\b",
                    "The user is %s",
                    FactCategory.DIET,
                    0.85,
                    null),
            rule(
                    "\\bi (?:don't|do not|never|can't|cannot) eat " + VALUE,
                    "The user does not eat %s",
                    FactCategory.DIET,
                    0.85,
                    null),
            rule(
                    "\\b" + I_AM + " (?:severely |very |mildly )?allergic to " + VALUE,
                    "The user is allergic to %s",
                    FactCategory.HEALTH,
                    0.95,
                    null),
            rule(
                    "\\bi (?:have|suffer from) (?<v>diabetes|asthma|celiac disease|coeliac disease|epilepsy|migraines|arthritis|adhd|a heart condition)\\b",
                    "The user has %s",
                    FactCategory.HEALTH,
                    0.9,
                    null),
            rule("\\bi work as (?:an? )?" + VALUE, "The user works as %s", FactCategory.WORK, 0.9, "job"),
            rule("\\bmy job is (?:an? )?" + VALUE, "The user works as %s", FactCategory.WORK, 0.85, "job"),
            rule(
                    "\\bi(?:'ll| will)? (?:start|started|am starting|'m starting|began) (?:working |work )?as (?:an? )?"
                            + VALUE,
                    "The user works as %s",
                    FactCategory.WORK,
                    0.8,
                    "job"),
            rule(
                    "\\b" + I_AM + " an? " + VALUE + " by (?:profession|trade)",
                    "The user works as %s",
                    FactCategory.WORK,
                    0.85,
                    "job"),
            rule("\\bi work (?:at|for) " + VALUE, "The user works at %s", FactCategory.WORK, 0.85, "employer"),
            rule(
                    "\\bmy favou?rite (?<k>[\\p{L} ]{1,30}?) is " + VALUE,
                    "The user's favourite %s is %s",
                    FactCategory.PREFERENCE,
                    0.9,
                    "favourite"),
            rule(
                    "\\bi (?:really |much |strongly |generally |usually )?prefer " + VALUE,
                    "The user prefers %s",
                    FactCategory.PREFERENCE,
                    0.85,
                    null),
            rule(
                    "\\bi (?:really |absolutely )?(?:love|like|enjoy|adore) " + VALUE,
                    "The user likes %s",
                    FactCategory.PREFERENCE,
                    0.7,
                    null),
            rule(
                    "\\bi (?:really )?(?:hate|dislike|can't stand|cannot stand|don't like|do not like) " + VALUE,
                    "The user dislikes %s",
                    FactCategory.PREFERENCE,
                    0.75,
                    null),
            rule(
                    "\\bi have an? (?<k>dog|cat|puppy|kitten|parrot|rabbit|hamster|horse|son|daughter|brother|sister) (?:named|called) "
                            + NAME,
                    "The user has a %s named %s",
                    FactCategory.RELATIONSHIP,
                    0.9,
                    null),
            rule(
                    "\\bmy (?<k>wife|husband|partner|girlfriend|boyfriend|son|daughter|mother|mom|mum|father|dad|brother|sister|dog|cat|best friend)(?:'s name)? is (?:called |named )?"
                            + NAME,
                    "The user's %s is %s",
                    FactCategory.RELATIONSHIP,
                    0.8,
                    null),
            rule(
                    "\\b(?:my goal is to|" + I_AM + " planning to|i plan to|" + I_AM + " saving (?:up )?for|" + I_AM
                            + " training for) " + VALUE,
                    "The user's goal: %s",
                    FactCategory.GOAL,
                    0.75,
                    null));

    private static Rule rule(String regex, String template, FactCategory category, double confidence, String slot) {
        return new Rule(
                Pattern.compile(regex, Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE),
                template,
                category,
                confidence,
                slot);
    }

    private RuleFactExtractor() {}

    @Override
    public List<ExtractedFact> extract(String userText, String replyText) {
        Map<String, ExtractedFact> found = new LinkedHashMap<>();
        String text = userText.replace('\u2019', '\'').replace('\u2018', '\'');
        for (String clause : CLAUSE_BREAK.split(text)) {
            String trimmed = clause.strip();
            if (trimmed.isEmpty() || trimmed.endsWith("?")) {
                continue;
            }
            for (Rule rule : RULES) {
                Matcher m = rule.pattern().matcher(trimmed);
                if (!m.find() || negated(trimmed, m.start())) {
                    continue;
                }
                Optional<String> value = clean(m.group("v"));
                if (value.isEmpty()
                        || (rule.properName()
                                && !Character.isUpperCase(value.get().codePointAt(0)))) {
                    continue;
                }
                String fact;
                Optional<String> slot = Optional.ofNullable(rule.slot());
                if (rule.template().chars().filter(c -> c == '%').count() == 2) {
                    String kind = m.group("k").strip().toLowerCase(Locale.ROOT);
                    fact = String.format(Locale.ROOT, rule.template(), kind, value.get());
                    slot = slot.map(s -> s + ":" + kind);
                } else {
                    fact = String.format(Locale.ROOT, rule.template(), value.get());
                }
                Optional<Person> about =
                        rule.properName() ? Optional.of(new Person(m.group("k"), value.get())) : Optional.empty();
                found.putIfAbsent(
                        fact.toLowerCase(Locale.ROOT),
                        new ExtractedFact(fact, rule.category(), rule.confidence(), slot, Optional.empty(), about));
            }
            thirdPerson(trimmed).ifPresent(f -> found.putIfAbsent(f.text().toLowerCase(Locale.ROOT), f));
            event(trimmed).ifPresent(f -> found.putIfAbsent(f.text().toLowerCase(Locale.ROOT), f));
        }
        return new ArrayList<>(found.values());
    }

    /** "I went to the support group yesterday" → an event of the user, dated by "yesterday". */
    private static Optional<ExtractedFact> event(String clause) {
        Matcher m = EVENT.matcher(clause);
        Matcher when = TimeExpressions.EVENT_DAY.matcher(clause);
        if (!m.find() || negated(clause, m.start()) || !when.find()) {
            return Optional.empty();
        }
        Optional<String> value = undated(m.group("v"), when.group()).flatMap(RuleFactExtractor::clean);
        if (value.isEmpty() || !saysWhat(value.get())) {
            return Optional.empty();
        }
        String subject = m.group("s").equalsIgnoreCase("we") ? "The user and others " : "The user ";
        return Optional.of(new ExtractedFact(
                subject + value.get(),
                FactCategory.EVENT,
                0.8,
                Optional.empty(),
                Optional.of(when.group()),
                Optional.empty()));
    }

    /**
     * "my sister Ana is a nurse", "my brother moved to Bergen last weekend" → a fact about that person
     * (an event when a day is named); their job and home are slots of their own
     * ({@code person:<name or relation>:job|home}), so a newer statement supersedes the older.
     */
    private static Optional<ExtractedFact> thirdPerson(String clause) {
        Matcher m = THIRD.matcher(clause);
        if (!m.find() || negated(clause, m.start())) {
            return Optional.empty();
        }
        Matcher when = TimeExpressions.EVENT_DAY.matcher(clause);
        boolean dated = when.find();
        Optional<String> value = (dated ? undated(m.group("v"), when.group()) : Optional.of(m.group("v")))
                .flatMap(RuleFactExtractor::clean);
        if (value.isEmpty() || !saysWhat(value.get())) {
            return Optional.empty();
        }
        String relation = m.group("k").toLowerCase(Locale.ROOT);
        String name = m.group("n") == null ? "" : m.group("n");
        Person person = new Person(relation, name);
        Optional<String> slot = dated
                ? Optional.empty()
                : JOB.matcher(value.get()).find()
                        ? Optional.of("person:" + person.key() + ":job")
                        : HOME.matcher(value.get()).find()
                                ? Optional.of("person:" + person.key() + ":home")
                                : Optional.empty();
        String text = "The user's " + relation + (name.isEmpty() ? "" : " " + name) + " " + value.get();
        return Optional.of(new ExtractedFact(
                text,
                dated ? FactCategory.EVENT : FactCategory.RELATIONSHIP,
                name.isEmpty() ? 0.75 : 0.8,
                slot,
                dated ? Optional.of(when.group()) : Optional.empty(),
                Optional.of(person)));
    }

    /** The value without the words that dated it; empty when nothing is left. */
    private static Optional<String> undated(String value, String when) {
        int at = value.toLowerCase(Locale.ROOT).indexOf(when.toLowerCase(Locale.ROOT));
        String rest = at < 0 ? value : value.substring(0, at) + value.substring(at + when.length());
        rest = rest.replaceAll("\\s+", " ").strip();
        return rest.isEmpty() ? Optional.empty() : Optional.of(rest);
    }

    /** Whether a value says something beyond its verb: "went there" does not, "went to the support group" does. */
    private static boolean saysWhat(String value) {
        int space = value.indexOf(' ');
        return space > 0 && !Keywords.terms(value.substring(space + 1)).isEmpty();
    }

    private static boolean negated(String clause, int matchStart) {
        // "I'm not vegetarian" never matches the rule itself; this catches "not because I live in…"
        // style prefixes and "I don't think I'm…" hedges before the statement.
        return NEGATION.matcher(clause.substring(0, matchStart)).find();
    }

    private static Optional<String> clean(String raw) {
        String value = VALUE_END.matcher(raw.strip()).replaceAll("").strip();
        String before;
        do {
            before = value;
            value = FILLER.matcher(value).replaceAll("").strip();
        } while (!value.equals(before));
        value = value.replaceAll("(?i)\\bmy\\b", "their")
                .replaceAll("(?i)\\bme\\b", "them")
                .replaceAll("(?i)\\bmyself\\b", "themselves");
        String[] words = value.split("\\s+");
        // "I like to", "I love it", "I live in the" say nothing: a value needs a content word.
        if (value.isEmpty()
                || words.length > 10
                || Keywords.terms(value).isEmpty()
                || DANGLING.matcher(value).find()) {
            return Optional.empty();
        }
        return Optional.of(value);
    }
}
