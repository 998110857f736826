package dev.nexus.host.memory;

import dev.nexus.host.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Writes long-conversation QA files (format {@code nexus-memory-qa/1}, see docs/benchmarks.md):
 * synthetic lives of hundreds of dated sessions in which one person talks to a personality. Each
 * life has facts that change (home, job), third persons (a sister, a brother, a friend), dated
 * events (trips, races, concerts), preferences, and a lot of distractor small talk that reuses the
 * same words and topics. Questions come in five categories, each with its answer and the ids of the
 * turns that hold the evidence (about a third of the questions use one of the statement's own
 * distinctive words, the rest paraphrase it):
 * <ul>
 *   <li>{@code single-hop}: one stated fact ("What is my dog called?");</li>
 *   <li>{@code knowledge-update}: a fact that changed; the evidence is the latest statement;</li>
 *   <li>{@code third-person}: a fact about someone else in the user's life;</li>
 *   <li>{@code temporal}: what happened in a named month ("in May 2023", "last May");</li>
 *   <li>{@code multi-hop}: needs two turns from different sessions.</li>
 * </ul>
 * Deterministic for a seed. Usage: {@code LifeGenerator [--seed 7] [--lives 4] [--sessions 150] [--decoys 0.25]
 * --out file.json}; {@code --decoys} is the share of small talk built as look-alikes (0.5 makes a much
 * harder set on which full text mostly finds decoys).
 */
public final class LifeGenerator {

    static final String FORMAT = "nexus-memory-qa/1";
    /** The default share of small talk that is a look-alike of a planned statement (a decoy). */
    static final double DECOYS = 0.25;

    private static final String[] CITIES = {
        "Tromsø",
        "Oslo",
        "Bergen",
        "Trondheim",
        "Stavanger",
        "Lisbon",
        "Porto",
        "Valencia",
        "Lyon",
        "Ghent",
        "Utrecht",
        "Leipzig",
        "Gdansk",
        "Turku",
        "Aarhus",
        "Malmö",
        "Bilbao",
        "Graz"
    };
    private static final String[] TRIPS = {
        "Rome",
        "Reykjavik",
        "Kyoto",
        "Marrakesh",
        "Edinburgh",
        "Vienna",
        "Prague",
        "Budapest",
        "Seville",
        "Dubrovnik",
        "Istanbul",
        "Copenhagen",
        "Athens",
        "Krakow",
        "Tallinn",
        "Naples",
        "Lofoten",
        "Madeira",
        "Sicily",
        "the Faroe Islands",
        "Crete",
        "Tenerife",
        "the Dolomites",
        "Cornwall"
    };
    private static final String[] JOBS = {
        "nurse",
        "civil engineer",
        "primary school teacher",
        "graphic designer",
        "pharmacist",
        "software developer",
        "accountant",
        "physiotherapist",
        "journalist",
        "electrician",
        "architect",
        "veterinarian",
        "librarian",
        "chef",
        "translator",
        "marine biologist"
    };
    private static final String[] EMPLOYERS = {
        "Statkraft",
        "the city hospital",
        "Nordic Freight",
        "a small design studio",
        "the university library",
        "Bluefin Analytics",
        "Harbour Pharmacy",
        "the regional newspaper",
        "Fjord Energy",
        "a veterinary clinic",
        "Kvarts Architects",
        "the public broadcaster"
    };
    private static final String[] FIRST_NAMES = {
        "Ana", "Tomas", "Ingrid", "Kasper", "Sofia", "Emil", "Leila", "Jonas", "Marta", "Henrik", "Yusuf", "Freya",
        "Mateo", "Astrid", "Nadia", "Oskar", "Clara", "Viktor", "Elin", "Rafael", "Greta", "Lukas", "Selma", "Anton",
        "Maja", "Bruno", "Tuva", "Idris"
    };
    private static final String[] USERS = {"Mia", "Noah", "Sara", "Eirik", "Lina", "Jakob", "Hanna", "Adam"};
    private static final String[] BREEDS = {
        "beagle", "border collie", "dachshund", "corgi", "labrador", "whippet", "spaniel", "schnauzer"
    };
    private static final String[] PET_NAMES = {
        "Biscuit", "Pepper", "Mango", "Luna", "Otto", "Waffles", "Juniper", "Pixel", "Nala", "Bamse"
    };
    private static final String[] INSTRUMENTS = {
        "cello", "piano", "violin", "ukulele", "saxophone", "drums", "harp", "banjo"
    };
    private static final String[] ALLERGENS = {"shellfish", "peanuts", "kiwi", "sesame", "hazelnuts", "celery"};
    private static final String[] AUTHORS = {
        "Ursula K. Le Guin",
        "Haruki Murakami",
        "Tove Jansson",
        "Karl Ove Knausgård",
        "Chimamanda Ngozi Adichie",
        "Italo Calvino",
        "Elena Ferrante",
        "Kazuo Ishiguro"
    };
    private static final String[] BUSINESSES = {
        "bakery",
        "bike repair shop",
        "coffee roastery",
        "vinyl record store",
        "yoga studio",
        "bookshop",
        "ramen bar",
        "pottery workshop"
    };
    private static final String[] BANDS = {
        "Röyksopp",
        "Sigrid",
        "Aurora",
        "Kings of Convenience",
        "Radiohead",
        "Fleet Foxes",
        "Khruangbin",
        "Arctic Monkeys",
        "Björk",
        "Bon Iver",
        "Beach House",
        "The National"
    };
    private static final String[] RACES = {
        "half marathon", "10k fun run", "trail race", "open-water swim", "sprint triathlon", "cycling sportive"
    };
    private static final String[] SMALL_TALK = {
        "Morning! Slept badly, the neighbours were loud again.",
        "haha ok",
        "Thanks, that helps a lot.",
        "What's a good way to stay focused in the afternoon?",
        "It rained all day here, typical.",
        "I'm so tired today, long week.",
        "Can you suggest a quick dinner with what's left in the fridge?",
        "I watched a documentary about octopuses last night, wild stuff.",
        "Do you think I should repaint the kitchen?",
        "ok cool",
        "My phone battery dies so fast lately.",
        "Any tips for falling asleep earlier?",
        "I finally cleaned out the closet.",
        "Traffic was terrible this morning.",
        "What should I watch tonight?",
        "lol that's true",
        "I made pancakes for breakfast.",
        "Work was fine, nothing special.",
        "I need a birthday present idea for a coworker.",
        "The coffee machine at the office broke again.",
        "Tell me a fun fact.",
        "Sunday was lazy, mostly reading on the sofa.",
        "I keep forgetting to drink water.",
        "The new season of that crime series is out.",
        "I think I'm catching a cold.",
        "Good night!",
        "I tried a new recipe with lentils, it was okay.",
        "How long should I boil an egg?",
        "Such a grey day.",
        "I walked to work today for once.",
        "Should I get a standing desk?",
        "I'm thinking about a haircut."
    };
    private static final String[] REPLIES = {
        "That sounds lovely.",
        "Tell me more!",
        "I hope it goes well.",
        "Noted, thanks for sharing.",
        "Oh, interesting.",
        "That makes sense.",
        "How did that feel?",
        "Good to hear."
    };

    private final Random random;
    private final int sessions;
    private final double decoys;

    private LifeGenerator(long seed, int sessions, double decoys) {
        this.random = new Random(seed);
        this.sessions = sessions;
        this.decoys = decoys;
    }

    public static void main(String[] args) throws IOException {
        long seed = 7;
        int lives = 4;
        int sessions = 150;
        double decoys = DECOYS;
        Path out = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--lives" -> lives = Integer.parseInt(args[++i]);
                case "--sessions" -> sessions = Integer.parseInt(args[++i]);
                case "--decoys" -> decoys = Double.parseDouble(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                default ->
                    throw new IllegalArgumentException(
                            "unknown argument " + args[i]
                                    + "; usage: LifeGenerator [--seed 7] [--lives 4] [--sessions 150] [--decoys 0.25] --out file.json");
            }
        }
        if (out == null) {
            throw new IllegalArgumentException("--out file.json is required");
        }
        Files.writeString(out, Json.write(generate(seed, lives, sessions, decoys)));
        System.out.println("wrote " + out + " (seed " + seed + ", " + lives + " lives of " + sessions + " sessions)");
    }

    /** Returns the QA document for {@code seed}: {@code lives} lives of {@code sessions} sessions each. */
    static Map<String, Object> generate(long seed, int lives, int sessions, double decoys) {
        LifeGenerator generator = new LifeGenerator(seed, sessions, decoys);
        List<Object> conversations = new ArrayList<>();
        for (int i = 0; i < lives; i++) {
            conversations.add(generator.life("life-" + (i + 1), USERS[i % USERS.length]));
        }
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("format", FORMAT);
        document.put("generator", "LifeGenerator");
        document.put("seed", seed);
        document.put("decoys", decoys);
        document.put("conversations", conversations);
        return document;
    }

    // ---- One life -----------------------------------------------------------------------------

    /** A statement planned for some session: its text, and a key under which questions find its turn id. */
    private record Planned(int session, String key, String text) {}

    private Map<String, Object> life(String id, String name) {
        ZoneId zone =
                ZoneId.of(pick(new String[] {"Europe/Oslo", "Europe/Lisbon", "Europe/Berlin", "America/New_York"}));
        LocalDate start = LocalDate.of(2023, 1, 2).plusDays(random.nextInt(40));
        List<ZonedDateTime> dates = new ArrayList<>();
        ZonedDateTime at = start.atTime(18, 0).atZone(zone);
        for (int s = 0; s < sessions; s++) {
            dates.add(at.plusMinutes(random.nextInt(180)));
            at = at.plusDays(1 + random.nextInt(4));
        }
        List<String> people = shuffled(FIRST_NAMES);
        String sister = people.get(0);
        String brother = people.get(1);
        String friend = people.get(2);
        String fiance = people.get(3);
        List<String> cities = shuffled(CITIES);
        List<String> jobs = shuffled(JOBS);
        List<String> employers = shuffled(EMPLOYERS);
        String breed = pick(BREEDS);
        String pet = pick(PET_NAMES);
        String instrument = pick(INSTRUMENTS);
        String allergen = pick(ALLERGENS);
        String author = pick(AUTHORS);
        String business = pick(BUSINESSES);
        int n = sessions;

        List<Planned> plan = new ArrayList<>();
        plan.add(new Planned(1, "home1", "I live in " + cities.get(0) + ", I have been here for six years now."));
        plan.add(new Planned(
                2, "job1", "I work as a " + jobs.get(0) + " at " + employers.get(0) + ", it's a good team."));
        plan.add(new Planned(
                pos(0.08, n),
                "sisterJob",
                "My sister " + sister + " works as a " + jobs.get(2) + " in " + cities.get(3) + "."));
        plan.add(new Planned(pos(0.12, n), "pet", "We adopted a " + breed + " puppy and named her " + pet + "!"));
        plan.add(new Planned(
                pos(0.18, n),
                "brother",
                "My brother " + brother + " lives in " + cities.get(4) + " with his two kids."));
        plan.add(new Planned(pos(0.22, n), "instrument", "I signed up for " + instrument + " lessons on Thursdays."));
        plan.add(new Planned(pos(0.3, n), "allergy", "The doctor confirmed it: I'm allergic to " + allergen + "."));
        plan.add(new Planned(
                pos(0.38, n),
                "home2",
                "Big news: I moved to " + cities.get(1) + " last week, the flat is small but bright."));
        plan.add(new Planned(
                pos(0.42, n),
                "friend",
                "My friend " + friend + " just opened a " + business + " in " + cities.get(1) + "."));
        plan.add(new Planned(
                pos(0.5, n), "author", "I can't stop reading " + author + ", I've finished three books this month."));
        plan.add(new Planned(
                pos(0.55, n), "brotherJob", brother + " told me he's retraining as a " + jobs.get(3) + "."));
        plan.add(new Planned(
                pos(0.6, n),
                "job2",
                "I quit " + employers.get(0) + "; on Monday I start as a " + jobs.get(1) + " at " + employers.get(1)
                        + "."));
        plan.add(new Planned(pos(0.7, n), "engaged", sister + " got engaged to " + fiance + " over the weekend!"));
        plan.add(new Planned(
                pos(0.8, n), "home3", "We relocated again, to " + cities.get(2) + " this time, closer to family."));
        plan.add(new Planned(pos(0.86, n), "petTrick", pet + " finally learned to fetch the newspaper."));

        // Dated events: trips, races and concerts, each in a session of its own month.
        List<String> trips = shuffled(TRIPS);
        List<String> bands = shuffled(BANDS);
        List<String> races = shuffled(RACES);
        Map<String, String> eventMonths = new LinkedHashMap<>();
        int events = 0;
        java.util.Set<String> usedMonths = new java.util.HashSet<>();
        for (int s = 3; s < n - 1 && events < 14; s += 5 + random.nextInt(6)) {
            String month = monthKey(dates.get(s));
            if (!usedMonths.add(month)) {
                continue;
            }
            String key = "event" + events;
            String text = switch (events % 3) {
                case 0 ->
                    "Just got back from " + trips.get(events % trips.size()) + ", "
                            + pick(new String[] {
                                "the food was incredible",
                                "we walked twenty kilometres a day",
                                "it rained but we didn't care",
                                "the old town was magical"
                            })
                            + ".";
                case 1 ->
                    "Yesterday I went to see " + bands.get(events % bands.size()) + " concert, "
                            + pick(new String[] {
                                "best show of my life", "the crowd was amazing", "my ears are still ringing"
                            })
                            + ".";
                default ->
                    "I ran my first " + races.get(events % races.size()) + " this morning, "
                            + pick(new String[] {"legs are jelly now", "finished in the middle of the pack", "so proud"
                            })
                            + ".";
            };
            plan.add(new Planned(s, key, text));
            eventMonths.put(key, month);
            events++;
        }

        // Sessions: planned statements among small talk and look-alike distractors.
        List<Object> sessionList = new ArrayList<>();
        Map<String, String> turnOf = new LinkedHashMap<>();
        for (int s = 0; s < n; s++) {
            List<Object> turns = new ArrayList<>();
            int turnNo = 1;
            int chatter = 3 + random.nextInt(6);
            List<String> texts = new ArrayList<>();
            List<String> keys = new ArrayList<>();
            for (int c = 0; c < chatter; c++) {
                texts.add(distractor(
                        cities, trips, bands, races, breed, instrument, people.subList(4, people.size()), jobs));
                keys.add(null);
            }
            for (Planned p : plan) {
                if (p.session() == s) {
                    int where = random.nextInt(texts.size() + 1);
                    texts.add(where, p.text());
                    keys.add(where, p.key());
                }
            }
            String sessionId = id + "/S" + (s + 1);
            for (int t = 0; t < texts.size(); t++) {
                String turnId = sessionId + ":" + turnNo++;
                turns.add(Map.of("id", turnId, "speaker", "user", "text", texts.get(t)));
                turns.add(Map.of("id", sessionId + ":" + turnNo++, "speaker", "assistant", "text", pick(REPLIES)));
                if (keys.get(t) != null) {
                    turnOf.put(keys.get(t), turnId);
                }
            }
            sessionList.add(
                    Map.of("id", sessionId, "date", dates.get(s).toInstant().toString(), "turns", turns));
        }

        Instant now = dates.get(n - 1).plusDays(1).toInstant();
        List<Object> questions = new ArrayList<>();
        Questions q = new Questions(id, questions, turnOf);
        q.add("single-hop", "What is my dog called?", pet, "pet");
        q.add("single-hop", "What breed is " + pet + "?", breed, "pet");
        q.add("single-hop", "Which instrument am I learning to play?", instrument, "instrument");
        q.add("single-hop", "What food do I need to avoid because of an allergy?", allergen, "allergy");
        q.add("single-hop", "Who is my favourite writer at the moment?", author, "author");
        q.add("single-hop", "What trick did my puppy learn?", "fetching the newspaper", "petTrick");
        // The same facts asked with one of the statement's own distinctive words, as people often ask.
        q.add("single-hop", "What did we name the " + breed + " puppy we adopted?", pet, "pet");
        q.add("single-hop", "On which day are my " + instrument + " lessons?", "Thursdays", "instrument");
        q.add("single-hop", "What did the doctor confirm?", "an allergy to " + allergen, "allergy");
        q.add("knowledge-update", "Which city did we relocate to, to be closer to family?", cities.get(2), "home3");
        q.add(
                "knowledge-update",
                "Where did I start working after I quit " + employers.get(0) + "?",
                employers.get(1),
                "job2");
        q.add("third-person", "Who did " + sister + " get engaged to?", fiance, "engaged");
        q.add("third-person", "What is " + brother + " retraining as?", jobs.get(3), "brotherJob");
        q.add("knowledge-update", "Which city do I live in now?", cities.get(2), "home3");
        q.add("knowledge-update", "Where did I live before I moved to " + cities.get(2) + "?", cities.get(1), "home2");
        q.add("knowledge-update", "What is my job these days?", jobs.get(1), "job2");
        q.add("knowledge-update", "Who is my current employer?", employers.get(1), "job2");
        q.add("knowledge-update", "What did I do for a living before my new job?", jobs.get(0), "job1");
        q.add("third-person", "What does " + sister + " do for work?", jobs.get(2), "sisterJob");
        q.add("third-person", "Who is my sister engaged to?", fiance, "engaged");
        q.add("third-person", "Where does " + brother + " live?", cities.get(4), "brother");
        q.add("third-person", "What kind of business did " + friend + " open?", business, "friend");
        q.add("third-person", "What is my brother retraining as?", jobs.get(3), "brotherJob");
        q.add(
                "multi-hop",
                "What do my sister and my brother do for a living?",
                jobs.get(2) + "; " + jobs.get(3),
                "sisterJob",
                "brotherJob");
        q.add(
                "multi-hop",
                "In which cities do " + sister + " and " + brother + " live?",
                cities.get(3) + "; " + cities.get(4),
                "sisterJob",
                "brother");
        q.add(
                "multi-hop",
                "Which city did I move to before " + friend + " opened a shop there, and what shop was it?",
                cities.get(1) + "; " + business,
                "home2",
                "friend");
        for (Map.Entry<String, String> event : eventMonths.entrySet()) {
            String key = event.getKey();
            String monthYear = event.getValue();
            int kind = Integer.parseInt(key.substring(5)) % 3;
            String question = switch (kind) {
                case 0 -> "Where did I travel in " + monthYear + "?";
                case 1 -> "Which band did I see live in " + monthYear + "?";
                default -> "What race did I do in " + monthYear + "?";
            };
            q.add("temporal", question, turnText(sessionList, turnOf.get(key)), key);
        }
        Map<String, Object> life = new LinkedHashMap<>();
        life.put("id", id);
        life.put("speaker", name);
        life.put("timeZone", zone.getId());
        life.put("now", now.toString());
        life.put("sessions", sessionList);
        life.put("questions", questions);
        return life;
    }

    /** Collects questions, looking the evidence turn ids up by plan key. */
    private record Questions(String life, List<Object> questions, Map<String, String> turnOf) {
        void add(String category, String question, String answer, String... keys) {
            List<String> evidence = new ArrayList<>();
            for (String key : keys) {
                String turn = turnOf.get(key);
                if (turn == null) {
                    return; // the life was too short for this statement
                }
                evidence.add(turn);
            }
            Map<String, Object> q = new LinkedHashMap<>();
            q.put("id", life + "/Q" + (questions.size() + 1));
            q.put("category", category);
            q.put("question", question);
            q.put("answer", answer);
            q.put("evidence", evidence);
            questions.add(q);
        }
    }

    @SuppressWarnings("unchecked")
    private static String turnText(List<Object> sessions, String turnId) {
        for (Object s : sessions) {
            for (Object t : (List<Object>) ((Map<String, Object>) s).get("turns")) {
                Map<String, Object> turn = (Map<String, Object>) t;
                if (turn.get("id").equals(turnId)) {
                    return (String) turn.get("text");
                }
            }
        }
        return "";
    }

    /**
     * Small talk, half of it built to look like the planned statements: the same words and topics
     * about other people (a cousin's job, a neighbour's dog, a colleague's trip) or wishes and
     * opinions rather than facts, so neither word overlap nor a close vector alone finds the evidence.
     */
    private String distractor(
            List<String> cities,
            List<String> trips,
            List<String> bands,
            List<String> races,
            String breed,
            String instrument,
            List<String> others,
            List<String> jobs) {
        if (random.nextDouble() >= decoys) {
            return pick(SMALL_TALK);
        }
        String other = pick(others.toArray(String[]::new));
        String city = pick(cities.toArray(String[]::new));
        String trip = pick(trips.toArray(String[]::new));
        return switch (random.nextInt(22)) {
            case 0 -> "Do you know any good restaurants in " + trip + "?";
            case 1 -> "I saw a " + breed + " at the park today, so cute.";
            case 2 -> "Someone at work said the " + pick(INSTRUMENTS) + " is easier than the " + instrument + ".";
            case 3 -> "There's a documentary about " + city + " on tonight.";
            case 4 -> "My sister called, we chatted for an hour about nothing.";
            case 5 -> other + " is planning a trip to " + trip + " next year.";
            case 6 -> "The " + pick(bands.toArray(String[]::new)) + " album is on repeat at the office.";
            case 7 -> "I should start training for a " + pick(races.toArray(String[]::new)) + " some day.";
            case 8 -> "My brother sent photos of the kids, they grow so fast.";
            case 9 -> "My cousin " + other + " works as a " + pick(jobs.toArray(String[]::new)) + " in " + city + ".";
            case 10 -> "Our neighbour's " + pick(BREEDS) + " is called " + pick(PET_NAMES) + ", he barks all night.";
            case 11 -> other + " plays the " + pick(INSTRUMENTS) + " in a jazz band.";
            case 12 -> other + " is allergic to " + pick(ALLERGENS) + ", so we never cook with it.";
            case 13 -> other + " recommended a novel by " + pick(AUTHORS) + ", not my thing.";
            case 14 -> other + " just got back from " + trip + " and won't stop talking about it.";
            case 15 -> "I'd love to see " + pick(bands.toArray(String[]::new)) + " live some day.";
            case 16 -> other + " ran a " + pick(RACES) + " last weekend, I just watched.";
            case 17 -> "Sometimes I wonder if I'd be happier living in " + city + ".";
            case 18 -> other + " got a job at " + pick(EMPLOYERS) + ".";
            case 19 -> "There's a new " + pick(BUSINESSES) + " in town, haven't tried it yet.";
            case 20 -> other + " from work is engaged, the wedding is next summer.";
            default -> "I read an article about people who moved abroad for work.";
        };
    }

    private int pos(double share, int n) {
        return Math.min(n - 1, Math.max(0, (int) Math.round(share * n)));
    }

    private static String monthKey(ZonedDateTime at) {
        return at.getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH) + " " + at.getYear();
    }

    private String pick(String[] values) {
        return values[random.nextInt(values.length)];
    }

    private List<String> shuffled(String[] values) {
        List<String> list = new ArrayList<>(List.of(values));
        java.util.Collections.shuffle(list, random);
        return list;
    }
}
