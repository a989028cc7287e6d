import { NextRequest, NextResponse } from 'next/server';
import { getCurrentUser, TWO_FACTOR_SETUP } from '@/lib/access/session';
import type { CurrentUser } from '@/lib/access/users';
import { appLink } from '@/lib/server/env';
import { i18nFor, type I18n } from '@/lib/server/i18n/translator';
import { currentRequestId, logger } from '@/lib/server/log';

type RouteOptions = {
  /** Admins only: anyone else gets the plain 404 of a page that does not exist. */
  role?: 'admin';
  /**
   * What a caller without a usable session gets: 'redirect' (a page or a download: 303 to the
   * login page, or to the two-factor set-up) or 'json' (a script's request: 401 and `unauthorized`).
   */
  anonymous?: 'redirect' | 'json';
};

type Handler<P> = (
  request: NextRequest,
  user: CurrentUser,
  context: { params: P; i18n: I18n },
) => Promise<Response> | Response;

/** Who a wrapped route lets in: read by the anonymous-caller test, which calls every route. */
const routeAccess = new WeakMap<object, Required<RouteOptions>>();

export function accessOfRoute(handler: object): Required<RouteOptions> | undefined {
  return routeAccess.get(handler);
}

/**
 * The one wrapper of every route handler that needs a signed-in user, as createAction is for
 * server actions: the user is read from the database (session, active flag, role, firm, language);
 * a member who must set up two-factor login reaches nothing else; the role is checked; an error
 * before the response is logged and answered with a generic message, never its text.
 */
export function createRoute<P = Record<string, never>>(options: RouteOptions, handler: Handler<P>) {
  const access = { role: options.role, anonymous: options.anonymous ?? 'redirect' } as Required<RouteOptions>;
  const route = async (request: Request, context?: { params: Promise<P> }): Promise<Response> => {
    const user = await getCurrentUser();
    if (!user || user.mustSetUpTwoFactor) {
      if (access.anonymous === 'json')
        return NextResponse.json(
          { error: 'unauthorized' },
          { status: 401, headers: { 'cache-control': 'private, no-store' } },
        );
      return NextResponse.redirect(appLink(user ? TWO_FACTOR_SETUP : '/connexion'), 303);
    }
    const i18n = i18nFor(user.locale);
    if (access.role === 'admin' && user.role !== 'admin')
      return new NextResponse(i18n.t('notFound.plain'), { status: 404 });
    try {
      const params = (context ? await context.params : {}) as P;
      const nextRequest = request instanceof NextRequest ? request : new NextRequest(request);
      return await handler(nextRequest, user, { params, i18n });
    } catch (error) {
      logger.error({ err: error, requestId: await currentRequestId() }, 'route handler failed');
      return new NextResponse(i18n.t('errors.unexpected'), {
        status: 500,
        headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' },
      });
    }
  };
  routeAccess.set(route, access);
  return route;
}
