

export function sessionRecordId(sessionId: string): string {
    return `session:${sessionId}`;
}

export function operationRecordId(operationId: string): string {
    return `ct:${operationId}`;
}

