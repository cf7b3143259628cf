// Placeholder until the fleet CLI lands.
console.error('fleet: no commands yet');
process.exitCode = 2;
