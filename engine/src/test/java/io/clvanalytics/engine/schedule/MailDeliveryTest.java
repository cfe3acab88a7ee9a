package io.clvanalytics.engine.schedule;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.clvanalytics.engine.Engine;
import io.clvanalytics.engine.jasper.ReportFormat;
import jakarta.mail.BodyPart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayInputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Mail through a real SMTP conversation with an in-process server (GreenMail). */
class MailDeliveryTest {

    @TempDir
    Path dir;

    private GreenMail smtp;

    @BeforeEach
    void startSmtp() {
        smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
    }

    @AfterEach
    void stopSmtp() {
        smtp.stop();
    }

    private static MailSettings settings(int port, long limit) {
        return MailSettings.fromEnvironment(Map.of("CLV_SMTP_HOST", "127.0.0.1", "CLV_SMTP_PORT", Integer.toString(port),
                "CLV_SMTP_TLS", "none", "CLV_SMTP_FROM", "reports@clv.example", "CLV_MAIL_ATTACH_LIMIT_BYTES", Long.toString(limit),
                "CLV_REPORTS_URL", "https://clv.example/")).orElseThrow();
    }

    @Test
    void everyRunMailsOneMessageWithTheXlsxAttached() throws Exception {
        TestClock clock = new TestClock(Instant.parse("2026-12-07T05:59:30Z"));
        try (Engine engine = Engine.open(dir.resolve("store.duckdb"), clock)) {
            ScheduleFixtures.addCustomers(engine, 12);
            MailSettings settings = settings(smtp.getSmtp().getPort(), MailSettings.DEFAULT_ATTACH_LIMIT_BYTES);
            Scheduler scheduler = Scheduler.withMail(engine, ReportArchive.resolve(null, engine.file()), Scheduler.Options.defaults(),
                    settings, SmtpMailer.of(settings, clock));
            String id = scheduler.schedules().create(ScheduleSpec.of("customer-list", "* * * * *", "Europe/Berlin", "ana")
                    .withName("Weekly customers").withMailTo(List.of("maria@shop.example", "li@shop.example"))).id();
            for (int i = 0; i < 3; i++) {
                clock.advance(Duration.ofMinutes(1));
                scheduler.runDue();
            }
            MimeMessage[] received = smtp.getReceivedMessages();
            // GreenMail keeps one copy per recipient: 3 runs x 2 recipients, each message addressed to both.
            assertEquals(6, received.length);
            List<String> subjects = new ArrayList<>();
            for (MimeMessage m : received) {
                subjects.add(m.getSubject());
                assertEquals(2, m.getAllRecipients().length);
                MimeMultipart body = (MimeMultipart) m.getContent();
                BodyPart attachment = body.getBodyPart(1);
                assertEquals(Part.ATTACHMENT, attachment.getDisposition());
                assertTrue(attachment.getContentType().startsWith(ReportFormat.XLSX.contentType()), attachment.getContentType());
                byte[] bytes = attachment.getInputStream().readAllBytes();
                Path archived = dir.resolve("reports").resolve(id).resolve(attachment.getFileName());
                assertArrayEquals(Files.readAllBytes(archived), bytes, "the attachment is the archived file");
                try (XSSFWorkbook wb = new XSSFWorkbook(new ByteArrayInputStream(bytes))) {
                    assertEquals(4 + 1 + 12, wb.getSheetAt(0).getPhysicalNumberOfRows());
                }
            }
            assertEquals(List.of("Weekly customers – 2026-12-07 07:00 CET", "Weekly customers – 2026-12-07 07:01 CET",
                    "Weekly customers – 2026-12-07 07:02 CET"), subjects.stream().distinct().sorted().toList());
            for (ScheduleRun run : scheduler.schedules().runs(id, 10)) {
                List<Delivery> d = scheduler.schedules().deliveries(run.id());
                assertEquals(1, d.size());
                assertEquals("sent", d.get(0).status());
            }
        }
    }

    @Test
    void aFileOverTheLimitIsLinkedAndAMailFailureKeepsTheArchivedFile() throws Exception {
        TestClock clock = new TestClock(Instant.parse("2026-12-07T05:59:30Z"));
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        try (Engine engine = Engine.open(dir.resolve("store.duckdb"), clock)) {
            ScheduleFixtures.addCustomers(engine, 12);
            MailSettings tiny = settings(smtp.getSmtp().getPort(), 100);
            Scheduler linking = Scheduler.withMail(engine, ReportArchive.resolve(null, engine.file()), Scheduler.Options.defaults(),
                    tiny, SmtpMailer.of(tiny, clock));
            String id = linking.schedules().create(ScheduleSpec.of("customer-list", "* * * * *", "UTC", "ana")
                    .withMailTo(List.of("maria@shop.example"))).id();
            clock.advance(Duration.ofMinutes(1));
            linking.runDue();
            MimeMessage[] received = smtp.getReceivedMessages();
            assertEquals(1, received.length);
            MimeMultipart body = (MimeMultipart) received[0].getContent();
            assertEquals(1, body.getCount(), "no attachment over the limit");
            String text = (String) body.getBodyPart(0).getContent();
            ArchivedFile file = linking.schedules().files(id).get(0);
            assertTrue(text.contains("https://clv.example/schedules/" + id + "/files/" + file.id()), text);

            MailSettings down = settings(closedPort, MailSettings.DEFAULT_ATTACH_LIMIT_BYTES);
            Scheduler failing = Scheduler.withMail(engine, ReportArchive.resolve(null, engine.file()), Scheduler.Options.defaults(),
                    down, SmtpMailer.of(down, clock));
            clock.advance(Duration.ofMinutes(1));
            Scheduler.Outcome run = failing.runDue().get(0);
            assertEquals(RunStatus.SUCCEEDED, run.status());
            Delivery d = failing.schedules().deliveries(run.runId()).get(0);
            assertEquals("failed", d.status());
            assertTrue(d.error().contains("127.0.0.1:" + closedPort), d.error());
            assertTrue(Files.exists(dir.resolve("reports").resolve(id).resolve(run.files().get(0).fileName())), "the file stays archived");
        }
    }
}
