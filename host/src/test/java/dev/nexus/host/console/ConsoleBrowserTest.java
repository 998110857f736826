package dev.nexus.host.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.host.testing.Chromium;
import dev.nexus.host.testing.TestHost;
import dev.nexus.host.testing.TestHttp;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The web console in a real headless Chromium against a real host on port 0 (H2, the bundled
 * personalities, the offline model): a user signs in and chats with a streamed reply, regenerates
 * and rates it; another user's conversation stays hidden; an admin approves a proposal that appears
 * live. With {@code -Dnexus.docs.write=true} the screenshots go to {@code docs/} (else to
 * {@code target/console-screenshots/}).
 *
 * <p>H2 only, although it stores data: a second browser run would add about half a minute, and every
 * route the console calls is tested on both databases by the HTTP tests (docs/testing.md, "Both databases").
 */
class ConsoleBrowserTest {

    static TestHost host;
    static Chromium browser;
    static TestHttp admin;
    static String aliceKey;
    static String bobKey;

    @BeforeAll
    static void start(@org.junit.jupiter.api.io.TempDir Path plugins) {
        dev.nexus.host.testing.PluginJar.builder("echo")
                .source("echo.EchoTool", """
                package echo;
                import dev.nexus.api.tool.*;
                @org.pf4j.Extension
                public class EchoTool implements Tool {
                    public ToolSpec spec() { return new ToolSpec("echo", "Echoes its input", "{\\"type\\":\\"object\\"}", RiskLevel.LOW); }
                    public ToolResult invoke(ToolCall call) { return new ToolResult.Success("echo", "text/plain"); }
                }
                """)
                .extension("echo.EchoTool")
                .build(plugins);
        host = TestHost.builder()
                .env("NEXUS_PLUGINS_DIRECTORY", plugins.toString())
                .yaml("personalities: {directory: '"
                        + Path.of("..", "personalities").toAbsolutePath().normalize() + "'}")
                .start();
        admin = host.http();
        aliceKey = userKey("alice");
        bobKey = userKey("bob");
        browser = Chromium.launch();
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (host != null) {
            host.close();
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void userSignsIn_chatsWithAStreamedReply_regeneratesAndRatesTheAlternativeShown() {
        signIn(aliceKey);
        browser.waitFor(
                "document.querySelector('#chat-personality').options.length >= 3", "the personalities in the picker");
        browser.eval("(() => { const s = document.querySelector('#chat-personality'); s.value = 'zen-engineer';"
                + " s.dispatchEvent(new Event('change')); })()");
        browser.waitFor("document.querySelectorAll('#persona-traits meter').length > 0", "the trait bars");

        browser.type("#chat-input", "My deploy keeps failing on Fridays.");
        browser.pressEnter();
        browser.waitFor("document.querySelector('.msg.assistant .actions')", "the reply to finish streaming");

        Map<String, Object> listed =
                TestHttp.json(admin.withKey(aliceKey).get("/v1/conversations?personality=zen-engineer"));
        List<Map<String, Object>> conversations = (List<Map<String, Object>>) listed.get("conversations");
        assertThat(conversations)
                .as(admin.withKey(aliceKey).get("/v1/conversations").body())
                .hasSize(1);
        String conversation = (String) conversations.get(0).get("id");
        assertThat(conversations.get(0))
                .containsEntry("title", "My deploy keeps failing on Fridays.")
                .containsEntry("personality", "zen-engineer");
        Map<String, Object> stored = lastMessage(aliceKey, conversation);
        assertThat(browser.text("#chat-log .msg.assistant:last-child .text"))
                .as("the bubble shows the stored reply")
                .isEqualTo(stored.get("content"));
        List<Map<String, Object>> all = (List<Map<String, Object>>)
                TestHttp.json(admin.withKey(aliceKey).get("/v1/conversations/" + conversation + "/messages"))
                        .get("messages");
        assertThat(browser.text("#chat-log .msg.assistant:first-child .text"))
                .as("the greeting the conversation opened with")
                .isEqualTo(all.get(0).get("content"));
        assertThat((Map<String, Object>) all.get(0).get("metadata")).containsEntry("greeting", true);
        assertThat(browser.text("#chat-conversation-id")).isEqualTo(conversation);
        assertThat(browser.eval(
                        "performance.getEntriesByType('resource').some(e => e.name.endsWith('/v1/chat/stream'))"))
                .as("the reply came over the SSE endpoint")
                .isEqualTo(true);
        screenshot("console-chat.png");

        browser.click(".msg.assistant button:not(.icon):not([aria-label])");
        browser.waitFor(
                "document.querySelector('.msg.assistant .swipes')?.textContent.includes('2 / 2')",
                "the second alternative");
        List<Map<String, Object>> alternatives =
                (List<Map<String, Object>>) lastMessage(aliceKey, conversation).get("alternatives");
        assertThat(alternatives).hasSize(1);
        String alternative = (String) alternatives.get(0).get("id");

        browser.click(".msg.assistant button[aria-label='Rate this reply good']");
        browser.waitFor(
                "document.querySelector('.msg.assistant .feedback-state')?.textContent.includes('Rated: up')",
                "the rating");
        Map<String, Object> feedback = TestHttp.json(admin.get("/v1/feedback?message=" + alternative));
        assertThat((List<?>) feedback.get("feedback"))
                .as("feedback attaches to the alternative shown")
                .hasSize(1);

        browser.click("#nav [data-view=history]");
        browser.waitFor(
                "document.querySelector('#history-table tbody button.link')?.textContent.includes('Fridays')",
                "the conversation in the history");
        browser.viewport(390, 844);
        browser.click("#history-table tbody button.link");
        browser.waitFor(
                "document.querySelectorAll('#chat-log .msg').length === 3",
                "the conversation reopened (greeting, question, reply)");
        screenshot("console-phone.png");
        browser.viewport(1280, 900);

        for (String other : List.of("wry-historian", "patient-teacher")) {
            browser.click("#nav [data-view=chat]");
            browser.eval("(() => { const s = document.querySelector('#chat-personality'); s.value = '" + other + "';"
                    + " s.dispatchEvent(new Event('change')); })()");
            browser.click("#chat-new");
            browser.type("#chat-input", "What should I read next, " + other + "?");
            browser.pressEnter();
            browser.waitFor(
                    "document.querySelector('#status').textContent.includes('Reply received')",
                    "the reply from " + other);
            List<Map<String, Object>> theirs = (List<Map<String, Object>>)
                    TestHttp.json(admin.withKey(aliceKey).get("/v1/conversations?personality=" + other))
                            .get("conversations");
            Map<String, Object> asked = theirs.stream()
                    .filter(c -> c.get("title").equals("What should I read next, " + other + "?"))
                    .findFirst()
                    .orElseThrow();
            assertThat(browser.text("#chat-log .msg.assistant:last-child .text"))
                    .isEqualTo(lastMessage(aliceKey, (String) asked.get("id")).get("content"));
        }
        assertThat(browser.consoleErrors()).isEmpty();
    }

    @Test
    void userKey_cannotOpenAnotherUsersConversation_andTheConsoleSaysNotFound() {
        Map<String, Object> turn = TestHttp.json(admin.withKey(aliceKey)
                .post(
                        "/v1/chat",
                        "{\"personality\":\"wry-historian\",\"message\":\"My secret plan is to learn Latin.\"}"));
        String conversation = (String) turn.get("conversation");
        assertThat(admin.withKey(bobKey)
                        .get("/v1/conversations/" + conversation + "/messages")
                        .statusCode())
                .isEqualTo(404);

        signIn(bobKey);
        browser.click("#nav [data-view=history]");
        browser.type("#history-id", conversation);
        browser.pressEnter();
        browser.waitFor("!document.querySelector('#alert').hidden", "the problem to show");

        assertThat(browser.text("#alert")).contains("404").contains("Not found").contains(conversation);
        assertThat(browser.text("#chat-log")).doesNotContain("Latin");
        assertThat(browser.text("#chat-conversation-id")).isNotEqualTo(conversation);
        browser.click("#nav [data-view=history]");
        browser.waitFor(
                "document.querySelector('#history-table tbody td')?.textContent.includes('No conversations')",
                "bob's empty history");
    }

    @Test
    @SuppressWarnings("unchecked")
    void admin_seesAProposalArriveLive_andApprovesIt() {
        assertThat(admin.post("/v1/personalities", SAGE).statusCode()).isEqualTo(201);
        assertThat(admin.put("/v1/personalities/sage", SAGE.replace("\"value\": 0.8", "\"value\": 0.3"))
                        .statusCode())
                .isEqualTo(200);
        admin.withKey(aliceKey).post("/v1/memory/facts", "{\"fact\":\"Alice is allergic to peanuts.\"}");

        signIn(TestHost.ADMIN_KEY);
        browser.click("#nav [data-view=proposals]");
        browser.waitFor("document.querySelector('#proposals-list p.muted')", "the empty inbox");
        browser.waitFor("document.querySelector('#proposals-live').textContent.includes('on')", "the live stream");

        Map<String, Object> proposal = TestHttp.json(admin.withKey(aliceKey)
                .post(
                        "/v1/proposals",
                        "{\"kind\":\"rollback\",\"personality\":\"sage\",\"version\":1,\"reason\":\"too terse now\"}"));
        String id = (String) proposal.get("id");
        browser.waitFor(
                "document.querySelector('#proposal-" + id + "')", "the new proposal to appear without a reload");
        assertThat(browser.text("#proposals-list .hash")).isEqualTo(proposal.get("sha256"));
        assertThat(browser.text("#pending-count")).isEqualTo("1");
        browser.type("#reason-" + id, "the long answers were better");
        screenshot("console-approvals.png");
        browser.click("#proposals-list button[value=approve]");

        browser.waitFor("document.querySelector('#status').textContent.includes('Proposal applied')", "the approval");
        Map<String, Object> decided = TestHttp.json(admin.get("/v1/proposals/" + id));
        assertThat(decided.get("state")).isEqualTo("applied");
        Map<String, Object> sage = TestHttp.json(admin.get("/v1/personalities/sage"));
        assertThat(sage.get("version")).isEqualTo(3);

        browser.eval("(() => { const s = document.querySelector('#proposals-state'); s.value = 'applied';"
                + " s.dispatchEvent(new Event('change')); })()");
        browser.click("#proposals-list details.audit summary");
        browser.waitFor(
                "document.querySelector('#proposals-list .history')?.textContent.includes('the long answers were better')",
                "the audit log with the approver's reason");

        browser.click("#nav [data-view=personalities]");
        browser.waitFor(
                "document.querySelector('#personalities-table').textContent.includes('sage')", "the personalities");
        browser.upload("#import-file", Path.of("src", "test", "resources", "interchange", "v3-kaito.json"));
        browser.waitFor(
                "document.querySelector('#import-result')?.textContent.includes('Imported')", "the imported card");
        assertThat(admin.get("/v1/personalities/" + browser.text("#import-result code"))
                        .statusCode())
                .isEqualTo(200);
        String card;
        try {
            card = java.nio.file.Files.readString(
                    Path.of("src", "test", "resources", "interchange", "v1-old-tom.json"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        // A drop as the page receives it (DevTools cannot drag a file from the desktop).
        browser.eval("(() => { const data = new DataTransfer(); data.items.add(new File(["
                + dev.nexus.host.json.Json.write(card)
                + "], 'old-tom.json', {type: 'application/json'})); document.querySelector('#import-zone')"
                + ".dispatchEvent(new DragEvent('drop', {dataTransfer: data, bubbles: true, cancelable: true})); })()");
        browser.waitFor(
                "document.querySelector('#import-result')?.textContent.includes('old-tom')",
                "the dropped card imported");
        screenshot("console-personalities.png");

        browser.click("#personalities-table button[aria-label='Edit Sage']");
        browser.waitFor("document.querySelector('#editor-traits input[name=verbosity]')", "the trait sliders");
        browser.eval(
                "(() => { const s = document.querySelector('#editor-traits input[name=verbosity]'); s.value = '0.55';"
                        + " s.dispatchEvent(new Event('input')); })()");
        browser.click("#editor-form button[type=submit]");
        browser.waitFor(
                "document.querySelector('#status').textContent.includes('Saved sage, version 4')", "the edit saved");
        Map<String, Object> edited = (Map<String, Object>)
                TestHttp.json(admin.get("/v1/personalities/sage")).get("personality");
        assertThat(((Map<String, Object>) ((Map<String, Object>) edited.get("traits")).get("verbosity")).get("value"))
                .isEqualTo(0.55);

        browser.click("#nav [data-view=knowledge]");
        browser.waitFor("document.querySelector('#knowledge-table tbody tr')", "the knowledge packs");
        signIn(aliceKey);
        browser.click("#nav [data-view=memory]");
        browser.waitFor("document.querySelector('#memory-table').textContent.includes('peanuts')", "alice's fact");
        screenshot("console-memory.png");
        browser.click("#profile-box summary");
        browser.type("#profile-name", "Alice A.");
        browser.type("#profile-attributes", "diet = no peanuts");
        browser.click("#profile-form button[type=submit]");
        browser.waitFor("document.querySelector('#status').textContent.includes('Profile saved')", "the saved profile");
        Map<String, Object> profile = TestHttp.json(admin.withKey(aliceKey).get("/v1/memory/profile/alice"));
        assertThat(profile.get("displayName")).isEqualTo("Alice A.");
        assertThat((Map<String, Object>) profile.get("attributes")).containsEntry("diet", "no peanuts");
        assertThat(browser.consoleErrors()).isEmpty();
    }

    @Test
    @SuppressWarnings("unchecked")
    void user_createsARoom_runsADebate_andWatchesWhoSpeaksAndTheTranscript() {
        String danaKey = userKey("dana");
        signIn(danaKey);
        browser.click("#nav [data-view=rooms]");
        browser.waitFor(
                "document.querySelectorAll('#room-personalities input').length >= 3", "the personalities to pick");
        browser.type("#room-new-title", "Rewrite or refactor?");
        browser.eval("(() => { for (const id of ['zen-engineer', 'wry-historian', 'startup-coach'])"
                + " document.querySelector(`#room-personalities input[value='${id}']`).checked = true;"
                + " document.querySelector('#room-policy').value = 'mention'; })()");
        browser.click("#room-create button[type=submit]");
        browser.waitFor("!document.querySelector('#room-panel').hidden", "the new room");
        assertThat(browser.text("#room-who")).contains("Zen Engineer", "Wry Historian", "Startup Coach", "dana");

        browser.type("#room-question", "Should we rewrite the billing system?");
        browser.click("#room-protocol button[type=submit]");
        browser.waitFor(
                "document.querySelector('#room-speaking').textContent.includes('debate ended')", "the debate to end");

        List<Map<String, Object>> rooms = (List<Map<String, Object>>)
                TestHttp.json(admin.withKey(danaKey).get("/v1/rooms")).get("rooms");
        String room = (String) rooms.get(0).get("id");
        List<Map<String, Object>> stored =
                (List<Map<String, Object>>) TestHttp.json(admin.withKey(danaKey).get("/v1/rooms/" + room + "/messages"))
                        .get("messages");
        assertThat(((Number) browser.eval("document.querySelectorAll('#room-log .room-msg').length")).intValue())
                .isEqualTo(stored.size());
        assertThat(((Number) browser.eval(
                                "document.querySelectorAll('#room-log .room-msg[data-stage=rebuttal]').length"))
                        .intValue())
                .isEqualTo(6);
        assertThat(browser.text("#room-log .room-msg:last-child"))
                .contains("synthesis")
                .contains("[Zen Engineer]")
                .contains("[Wry Historian]")
                .contains("[Startup Coach]");
        assertThat(browser.text("#room-log .room-msg[data-stage=rebuttal] .room-head"))
                .contains("debate · rebuttal · round 2");
        screenshot("console-rooms.png");
        assertThat(browser.consoleErrors()).isEmpty();
    }

    @Test
    void approverOnlyKey_landsInTheInbox_andIsOfferedNothingItMayNotUse() {
        HttpResponse<String> created = admin.post("/v1/keys", "{\"name\":\"reviewer\",\"scopes\":[\"approver\"]}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);

        signIn((String) TestHttp.json(created).get("secret"));
        browser.waitFor("!document.querySelector('#view-proposals').hidden", "the inbox");

        assertThat(
                        browser.eval(
                                "[...document.querySelectorAll('#nav li')].filter(li => !li.hidden).map(li => li.textContent.trim())"))
                .asList()
                .singleElement()
                .asString()
                .startsWith("Approvals");
        assertThat(browser.text("#who-text")).isEqualTo("approver");
        assertThat(browser.consoleErrors()).isEmpty();
    }

    @Test
    @SuppressWarnings("unchecked")
    void user_startsAnEvolutionRun_andSeesBestAndMeanFitnessPlotted() {
        String carolKey = userKey("carol");
        TestHttp carol = admin.withKey(carolKey);
        for (int i = 0; i < 3; i++) {
            Map<String, Object> turn = TestHttp.json(carol.post(
                    "/v1/chat",
                    "{\"personality\":\"patient-teacher\",\"message\":\"Explain recursion, take " + i + "\"}"));
            String reply = (String) ((Map<String, Object>) turn.get("message")).get("id");
            assertThat(carol.post(
                                    "/v1/feedback",
                                    "{\"message\":\"" + reply + "\",\"rating\":2,\"critiques\":[\"too long\"]}")
                            .statusCode())
                    .isEqualTo(201);
        }
        signIn(carolKey);
        browser.click("#nav [data-view=evolution]");
        browser.waitFor(
                "[...document.querySelector('#evolution-personality').options].some(o => o.value === 'patient-teacher')",
                "the personalities to evolve");
        browser.eval("document.querySelector('#evolution-personality').value = 'patient-teacher'");
        browser.type("#evolution-seed", "7");
        browser.click("#evolution-form button[type=submit]");
        browser.waitFor(
                "/succeeded|failed/.test(document.querySelector('#evolution-run .state')?.textContent)",
                "the run to end");

        assertThat(browser.text("#evolution-run .state")).isEqualTo("succeeded");
        assertThat(browser.eval("document.querySelector('#evolution-run svg.plot polyline.best').getAttribute('points')"
                        + ".split(' ').length"))
                .isEqualTo(browser.eval("Number(document.querySelector('#evolution-run dd:nth-of-type(2)')"
                        + ".textContent.split(' ')[0])"));
        assertThat(browser.eval("document.querySelector('#evolution-run svg.plot').getAttribute('aria-label')"))
                .asString()
                .startsWith("Fitness over");
        String newest = (String) ((List<Map<String, Object>>)
                        TestHttp.json(admin.get("/v1/evolution/runs?personality=patient-teacher&limit=1"))
                                .get("runs"))
                .get(0)
                .get("id");
        browser.waitFor(
                "document.querySelector(\"#evolution-runs tr[data-run='" + newest + "']\")", "the run among past runs");
        screenshot("console-evolution.png");
        browser.eval("document.querySelector('#evolution-run').replaceChildren()");
        browser.click("#evolution-runs button[aria-label='Show run " + newest + "']");
        browser.waitFor("document.querySelector('#evolution-run svg.plot')", "the past run plotted again");
    }

    @Test
    @SuppressWarnings("unchecked")
    void admin_seesAnExperimentsArmsPlottedWithTheServersCounts() {
        String juno = SAGE.replace("\"sage\"", "\"juno\"").replace("\"Sage\"", "\"Juno\"");
        assertThat(admin.post("/v1/personalities", juno).statusCode()).isEqualTo(201);
        assertThat(admin.put("/v1/personalities/juno", juno.replace("\"value\": 0.8", "\"value\": 0.3"))
                        .statusCode())
                .isEqualTo(200);
        HttpResponse<String> started =
                admin.post("/v1/personalities/juno/experiments", "{\"controlVersion\":1,\"minFeedback\":5}");
        assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
        String experiment = (String) TestHttp.json(started).get("id");
        for (int i = 0; i < 8; i++) {
            Map<String, Object> turn = TestHttp.json(admin.post(
                    "/v1/chat",
                    "{\"personality\":\"juno\",\"user\":\"tester-" + i + "\",\"message\":\"How do I rest well?\"}"));
            String reply = (String) ((Map<String, Object>) turn.get("message")).get("id");
            assertThat(admin.post(
                                    "/v1/feedback",
                                    "{\"message\":\"" + reply + "\",\"rating\":" + (i % 3 == 0 ? 2 : 5) + "}")
                            .statusCode())
                    .isEqualTo(201);
        }
        Map<String, Object> results = TestHttp.json(admin.get("/v1/personalities/juno/experiments/" + experiment));

        signIn(TestHost.ADMIN_KEY);
        browser.click("#nav [data-view=evolution]");
        browser.waitFor(
                "[...document.querySelector('#evolution-personality').options].some(o => o.value === 'juno')",
                "the personalities");
        browser.eval("(() => { const s = document.querySelector('#evolution-personality'); s.value = 'juno';"
                + " s.dispatchEvent(new Event('change')); })()");
        browser.waitFor(
                "document.querySelector(\"#experiments-list [data-experiment='" + experiment
                        + "'] svg.plot polyline.treatment\")",
                "the experiment plotted");
        Map<String, Object> treatment = (Map<String, Object>) results.get("treatment");
        Map<String, Object> control = (Map<String, Object>) results.get("control");
        assertThat(browser.text("#experiments-list .legend .treatment"))
                .as("the counts are the server's")
                .contains(treatment.get("successes") + " of " + treatment.get("feedback") + " satisfied");
        assertThat(browser.text("#experiments-list .legend .control"))
                .contains(control.get("successes") + " of " + control.get("feedback") + " satisfied");
        assertThat(browser.eval("document.querySelector('#experiments-list svg.plot').getAttribute('aria-label')"))
                .asString()
                .contains(String.format(
                        java.util.Locale.ROOT,
                        "%.3f",
                        ((Number) results.get("probabilityTreatmentBetter")).doubleValue()));
        assertThat(
                        browser.eval(
                                "document.querySelector('#experiments-list polyline.control').getAttribute('points').split(' ').length"))
                .isEqualTo(201);
        screenshot("console-experiments.png");
        assertThat(browser.consoleErrors()).isEmpty();
    }

    @Test
    @SuppressWarnings("unchecked")
    void admin_browsesTheAuditLog_loadsOlderEntries_andFiltersByTarget() {
        for (int i = 0; i < 55; i++) {
            HttpResponse<String> created =
                    admin.post("/v1/keys", "{\"name\":\"audited-" + i + "\",\"scopes\":[\"user\"],\"user\":\"dave\"}");
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        }
        List<Map<String, Object>> newest = (List<Map<String, Object>>)
                TestHttp.json(admin.get("/v1/audit?limit=1")).get("entries");

        signIn(TestHost.ADMIN_KEY);
        browser.click("#nav [data-view=audit]");
        browser.waitFor(
                "document.querySelectorAll('#audit-table tbody tr[data-entry]').length === 50", "the newest page");

        assertThat(browser.text("#audit-table tbody tr:first-child td:nth-child(3)"))
                .isEqualTo(newest.get(0).get("action"));
        assertThat(browser.text("#audit-table tbody tr:first-child td:nth-child(4)"))
                .isEqualTo(newest.get(0).get("target"));
        assertThat(browser.text("#audit-table tbody tr:first-child td:nth-child(2)"))
                .startsWith((String) ((Map<String, Object>) newest.get(0).get("actor")).get("name"));
        screenshot("console-audit.png");
        browser.click("#audit-more");
        browser.waitFor(
                "document.querySelectorAll('#audit-table tbody tr[data-entry]').length > 50", "the older entries");
        assertThat((List<Object>) browser.eval("[...document.querySelectorAll('#audit-table tbody tr[data-entry]')]"
                        + ".map(tr => tr.dataset.entry)"))
                .as("no entry twice across pages")
                .doesNotHaveDuplicates();

        browser.type("#audit-target", (String) newest.get(0).get("target"));
        browser.click("#audit-form button[type=submit]");
        browser.waitFor(
                "document.querySelectorAll('#audit-table tbody tr[data-entry]').length === 1", "the filtered entry");
        assertThat(browser.text("#audit-table tbody td:nth-child(3)")).isEqualTo("POST /v1/keys");
        assertThat(browser.eval("document.querySelector('#audit-more').hidden")).isEqualTo(true);
        assertThat(browser.consoleErrors()).isEmpty();
    }

    @Test
    @SuppressWarnings("unchecked")
    void admin_disablesAPluginAndEnablesItAgain_fromThePluginsTable() {
        signIn(TestHost.ADMIN_KEY);
        browser.click("#nav [data-view=plugins]");
        browser.waitFor(
                "document.querySelector(\"#plugins-table button[aria-label='Disable echo']\")", "the Disable button");

        browser.click("#plugins-table button[aria-label='Disable echo']");
        browser.waitFor(
                "document.querySelector(\"#plugins-table button[aria-label='Enable echo']\")", "the plugin disabled");

        List<Map<String, Object>> tools = (List<Map<String, Object>>)
                TestHttp.json(admin.get("/v1/tools")).get("tools");
        assertThat(tools).extracting(tool -> tool.get("name")).doesNotContain("echo");
        assertThat(browser.text("#plugins-table tbody")).contains("disabled by an admin");
        screenshot("console-plugins.png");
        browser.click("#plugins-table button[aria-label='Enable echo']");
        browser.waitFor(
                "document.querySelector('#status').textContent.includes('Plugin echo is started')",
                "the plugin started");
        tools = (List<Map<String, Object>>)
                TestHttp.json(admin.get("/v1/tools")).get("tools");
        assertThat(tools).extracting(tool -> tool.get("name")).contains("echo");

        signIn(aliceKey);
        browser.click("#nav [data-view=plugins]");
        browser.waitFor(
                "document.querySelector('#plugins-table').textContent.includes('echo')", "the plugins for a user");
        assertThat(browser.eval("document.querySelectorAll('#plugins-table button').length"))
                .as("users may not switch plugins")
                .isEqualTo(0);
        assertThat(browser.consoleErrors()).isEmpty();
    }

    @Test
    void admin_uploadsAPackAndAWorldInfoBook_andDeletesTheUploadedPack(@org.junit.jupiter.api.io.TempDir Path files)
            throws java.io.IOException {
        Path pack = java.nio.file.Files.writeString(
                files.resolve("herbs.yaml"),
                "id: herbs\nname: Herb garden\ntopics: [herbs, garden]\nfacts: [Basil wants sun and warm nights.]\n");
        signIn(TestHost.ADMIN_KEY);
        browser.click("#nav [data-view=knowledge]");
        browser.waitFor("!document.querySelector('#pack-upload').hidden", "the upload form for admins");

        browser.upload("#pack-file", pack);
        browser.waitFor("document.querySelector('#pack-result')?.textContent.includes('herbs')", "the uploaded pack");
        browser.upload("#pack-file", Path.of("src", "test", "resources", "interchange", "world-info-saltreach.json"));
        browser.waitFor(
                "document.querySelector('#pack-result')?.textContent.includes('world-info-saltreach')",
                "the uploaded lorebook");

        assertThat(admin.get("/v1/knowledge/packs/herbs").statusCode()).isEqualTo(200);
        assertThat(TestHttp.json(admin.get("/v1/knowledge/packs/world-info-saltreach"))
                        .get("entries"))
                .isNotEqualTo(0);
        browser.waitFor(
                "document.querySelector(\"#knowledge-table button[aria-label='Delete Herb garden']\")",
                "the Delete button");
        browser.click("#knowledge-table button[aria-label='Delete Herb garden']");
        browser.waitFor(
                "document.querySelector('#status').textContent.includes('Deleted Herb garden')", "the deletion");
        assertThat(admin.get("/v1/knowledge/packs/herbs").statusCode()).isEqualTo(404);
        assertThat(browser.consoleErrors()).isEmpty();
    }

    private static void signIn(String key) {
        // Forget the previous test's key before leaving its page (the console would sign in with it again).
        browser.eval("(() => { try { sessionStorage.clear(); } catch (e) { /* about:blank has no storage */ } })()");
        browser.navigate(host.baseUrl() + "/console");
        browser.waitFor("document.activeElement && document.activeElement.id === 'signin-key'", "the sign-in form");
        browser.type("#signin-key", key);
        browser.pressEnter();
        browser.waitFor("!document.querySelector('#nav').hidden", "the console after signing in");
        assertThat(browser.eval("location.href")).asString().doesNotContain(key);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> lastMessage(String key, String conversation) {
        List<Map<String, Object>> messages = (List<Map<String, Object>>)
                TestHttp.json(admin.withKey(key).get("/v1/conversations/" + conversation + "/messages"))
                        .get("messages");
        return messages.get(messages.size() - 1);
    }

    private static String userKey(String user) {
        HttpResponse<String> created =
                admin.post("/v1/keys", "{\"name\":\"" + user + "\",\"scopes\":[\"user\"],\"user\":\"" + user + "\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return (String) TestHttp.json(created).get("secret");
    }

    private static void screenshot(String name) {
        Path dir = Boolean.getBoolean("nexus.docs.write")
                ? Path.of("..", "docs")
                : Path.of("target", "console-screenshots");
        browser.screenshot(dir.resolve(name));
    }

    private static final String SAGE = """
            {"id": "sage", "name": "Sage", "description": "A wise friend who likes to explain things at length.",
             "voice": "warm and unhurried",
             "values": ["Honesty before comfort.", "Small steps compound."],
             "style": ["Use plain words.", "End with a question."],
             "traits": {"verbosity": {"value": 0.8, "evolvable": true, "min": 0.1, "max": 0.9}, "warmth": 0.6},
             "greetings": ["Hello, {{user}}. What is on your mind today?"]}
            """;
}
