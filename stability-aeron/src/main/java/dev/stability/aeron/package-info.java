/**
 * The journal replicated to a standby on another host over Aeron: the primary's {@link
 * dev.stability.aeron.JournalPublisher}, the standby's {@link
 * dev.stability.aeron.AeronJournalSource}, the media driver ({@link
 * dev.stability.aeron.AeronMedia}, embedded or external), ASYNC and SEMI_SYNC acknowledgement,
 * catch-up from Aeron Archive, and the warm state's link across hosts (R9).
 */
package dev.stability.aeron;
