/* Drag an appointment to move it: see below. */
