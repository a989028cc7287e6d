import { NextResponse } from 'next/server';
import { databaseAnswers } from '@/lib/health/queries';

export const dynamic = 'force-dynamic';

// For load balancers: no session, no details; 503 takes the instance out of rotation.
export async function GET() {
  const ok = await databaseAnswers();
  return NextResponse.json({ ok }, { status: ok ? 200 : 503, headers: { 'cache-control': 'no-store' } });
}
