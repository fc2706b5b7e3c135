package dev.parley.client;

/**
 * What a new device shows while it waits to be linked ({@link ParleyClient#link}): the link code
 * to type on a device of the account, the same as QR text ({@code parley-link:v1:...}), and the
 * fingerprint of this device's key, which the approving device shows too: the user compares
 * them before approving.
 */
public record LinkOffer(String code, String qrText, String fingerprint) {}
