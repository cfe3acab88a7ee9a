package io.clvanalytics.engine.schedule;

import jakarta.activation.DataHandler;
import jakarta.activation.FileDataSource;
import jakarta.mail.Authenticator;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.PasswordAuthentication;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Date;
import java.util.Properties;

/** {@link Mailer} over SMTP with Jakarta Mail (Angus). */
public final class SmtpMailer implements Mailer {

    private static final String TIMEOUT_MS = "30000";

    private final MailSettings settings;
    private final Session session;
    private final Clock clock;

    private SmtpMailer(MailSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        Properties p = new Properties();
        String protocol = settings.tls().equals("ssl") ? "smtps" : "smtp";
        p.put("mail.transport.protocol", protocol);
        p.put("mail." + protocol + ".host", settings.host());
        p.put("mail." + protocol + ".port", Integer.toString(settings.port()));
        p.put("mail." + protocol + ".connectiontimeout", TIMEOUT_MS);
        p.put("mail." + protocol + ".timeout", TIMEOUT_MS);
        p.put("mail." + protocol + ".writetimeout", TIMEOUT_MS);
        if (settings.tls().equals("starttls")) {
            p.put("mail.smtp.starttls.enable", "true");
            p.put("mail.smtp.starttls.required", "true");
        }
        if (settings.tls().equals("ssl")) {
            p.put("mail.smtps.ssl.checkserveridentity", "true");
        }
        Authenticator auth = null;
        if (settings.user() != null) {
            p.put("mail." + protocol + ".auth", "true");
            auth = new Authenticator() {
                @Override
                protected PasswordAuthentication getPasswordAuthentication() {
                    return new PasswordAuthentication(settings.user(), settings.password());
                }
            };
        }
        this.session = Session.getInstance(p, auth);
    }

    /** A mailer for {@code settings}; the Date header comes from {@code clock}. */
    public static SmtpMailer of(MailSettings settings, Clock clock) {
        return new SmtpMailer(settings, clock);
    }

    @Override
    public void send(Mail mail) {
        try {
            MimeMessage m = new MimeMessage(session);
            m.setFrom(new InternetAddress(settings.from(), true));
            for (String to : mail.to()) {
                m.addRecipient(Message.RecipientType.TO, new InternetAddress(to, true));
            }
            m.setSubject(mail.subject(), StandardCharsets.UTF_8.name());
            m.setSentDate(Date.from(clock.instant()));
            MimeMultipart body = new MimeMultipart();
            MimeBodyPart text = new MimeBodyPart();
            text.setText(mail.text(), StandardCharsets.UTF_8.name());
            body.addBodyPart(text);
            for (Attachment a : mail.attachments()) {
                MimeBodyPart part = new MimeBodyPart();
                FileDataSource source = new FileDataSource(a.file().toFile());
                part.setDataHandler(new DataHandler(new TypedSource(source, a.contentType())));
                part.setFileName(a.name());
                part.setDisposition(MimeBodyPart.ATTACHMENT);
                body.addBodyPart(part);
            }
            m.setContent(body);
            Transport.send(m);
        } catch (MessagingException e) {
            throw new MailFailure("mail to " + String.join(", ", mail.to()) + " via " + settings.host() + ":" + settings.port()
                    + " failed: " + e.getMessage(), e);
        }
    }

    /** A file data source with the report's content type (not a guess from the file name). */
    private static final class TypedSource extends FileDataSource {
        private final String contentType;

        TypedSource(FileDataSource file, String contentType) {
            super(file.getFile());
            this.contentType = contentType;
        }

        @Override
        public String getContentType() {
            return contentType;
        }
    }
}
