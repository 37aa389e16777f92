/** Speed and cost benches (placeholder until the core modules land). */
export async function runSpeed() {
    return { json: {}, markdown: "(not run)" };
}
