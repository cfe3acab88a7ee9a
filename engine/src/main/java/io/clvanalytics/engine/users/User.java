package io.clvanalytics.engine.users;

import java.time.LocalDateTime;

/**
 * A user as listed (never with the password hash).
 *
 * @param id                the user's id
 * @param name              the sign-in name
 * @param role              what the user may do
 * @param disabled          a disabled user cannot sign in and its tokens stop working
 * @param createdAt         when the user was added (store clock, UTC)
 * @param passwordChangedAt when the password was last set
 */
public record User(long id, String name, UserRole role, boolean disabled, LocalDateTime createdAt,
                   LocalDateTime passwordChangedAt) {}
