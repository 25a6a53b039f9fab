package io.procactor.transport.internal;

import io.netty.buffer.ByteBuf;

/**
 * One decoded frame: its kind and its body. The receiver owns {@code body} and must release it.
 */
public record InboundFrame(byte kind, ByteBuf body) {
}
