package io.clvanalytics.engine.schedule;

import java.nio.file.Path;
import java.util.List;

/**
 * Sends one mail. Contract: returns when the server accepted the message; throws
 * {@link MailFailure} with the server's reason otherwise. Implementations are thread-safe.
 */
public interface Mailer {

    /** A file to attach: where it is, the name the recipient sees, its content type. */
    record Attachment(Path file, String name, String contentType) {}

    /** One message to every address of {@code to}. */
    record Mail(List<String> to, String subject, String text, List<Attachment> attachments) {}

    void send(Mail mail);

    /** The mail was not accepted. */
    final class MailFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public MailFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
